"""Word templates and exports: list, check and add templates; export briefs."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from briefapp.db import live
from briefapp.documents.library import (
    TemplateFolder,
    describe_template,
    link_problem,
    list_templates,
    resolve_template,
)
from briefapp.domain.brief_format import loads_brief
from briefapp.domain.entities import Brief
from briefapp.domain.errors import ExportError, TemplateError, TemplateStoppedError
from briefapp.domain.templates import (
    TemplateCheck,
    TemplateInfo,
    TemplateOrigin,
    TemplateTrial,
)
from briefapp.domain.validation import brief_problems, raise_for_problems
from briefapp.services.files import read_user_file, write_atomically
from briefapp.services.template_checks import (
    CheckCache,
    CheckedFinding,
    Snapshot,
    check_workers,
    slot,
)

if TYPE_CHECKING:
    from briefapp.documents.render import DocumentProperties

log = logging.getLogger(__name__)

DEFAULT_RENDER_TIMEOUT = 30.0
ERROR = "error"


class ExportService:
    """Templates from the built-in, the user's and an extra folder; Word exports."""

    def __init__(
        self,
        folders: Sequence[TemplateFolder],
        user_folder: Path,
        sample_brief: Path,
        render_timeout: float = DEFAULT_RENDER_TIMEOUT,
        check_cache: Path | None = None,
    ) -> None:
        self._folders = list(folders)
        self._user_folder = user_folder
        self._sample_brief = sample_brief
        self.render_timeout = render_timeout
        self._cache = (
            CheckCache(check_cache, sample_brief) if check_cache is not None else None
        )
        self._check_slots = threading.BoundedSemaphore(check_workers())
        self._check_pool: concurrent.futures.ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def set_extra_folder(self, folder: Path | None) -> None:
        """Use ``folder`` (or none) as the extra template folder, listed last."""
        kept = [f for f in self._folders if f.origin is not TemplateOrigin.FOLDER]
        if folder is not None:
            kept.append(TemplateFolder(TemplateOrigin.FOLDER, folder))
        self._folders = kept

    def keep_renderer_ready(self) -> None:
        """Keep a renderer process started and waiting, for quick exports and
        previews in an interactive session."""
        from briefapp.documents.isolation import keep_spare

        keep_spare()

    def stop_renderer(self) -> None:
        """Stop the waiting renderer process (the window is closing)."""
        from briefapp.documents.isolation import discard_spare

        discard_spare()
        with self._pool_lock:
            pool, self._check_pool = self._check_pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)

    @property
    def extra_folder(self) -> Path | None:
        """The extra template folder in use (from --templates or Preferences)."""
        return next(
            (f.path for f in self._folders if f.origin is TemplateOrigin.FOLDER), None
        )

    def list_templates(self) -> list[TemplateInfo]:
        """Every template, built-in first, then the user's, then the extra folder."""
        return list_templates(self._folders)

    def check_template(
        self, choice: str | TemplateInfo, cancelled: Callable[[], bool] | None = None
    ) -> TemplateCheck:
        """Check a template (a name, a path or one listed), with trial renders of
        the demo brief and of an empty brief; in a child process with the time
        limit.

        A file that is not a safe, plain Word document is refused from what
        its zip directory and small parts say, without starting a process.
        """
        from briefapp.documents.package import inspect_package

        template = (
            choice
            if isinstance(choice, TemplateInfo)
            else resolve_template(choice, self._folders)
        )
        if live.database_holding(template.path) is not None:
            # Reading it here would drop the locks SQLite holds on it.
            return TemplateCheck(
                template,
                errors=(f"file: {template.path} is a database Briefapp has open",),
            )
        outside = link_problem(template.path, self._folders)
        if outside is not None:
            return TemplateCheck(template, errors=(f"file: {outside}",))
        problems = inspect_package(template.path)
        if any(p.fatal for p in problems):
            return TemplateCheck(
                template,
                errors=tuple(f"package: {p.message}" for p in problems),
                warnings=self._title_warnings(template),
            )
        try:
            findings = self._findings(template.path, self._samples(), cancelled)
        except TemplateStoppedError as error:
            return TemplateCheck(template, errors=(str(error),))
        return TemplateCheck(
            template,
            errors=tuple(
                f"{f.where}: {f.message}" for f in findings if f.severity == ERROR
            ),
            warnings=tuple(
                f"{f.where}: {f.message}" for f in findings if f.severity != ERROR
            )
            + self._title_warnings(template),
        )

    def try_template(
        self,
        choice: str | TemplateInfo,
        brief: Brief,
        today: dt.date | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> TemplateTrial:
        """The full check of a template, then ``brief`` filled into it as an
        export would: what an author sees before trusting a template with a
        real brief. A failed trial is one more error of the check.

        Raises:
            RenderCancelledError: ``cancelled()`` became true.
        """
        check = self.check_template(choice, cancelled)
        if check.errors:
            return TemplateTrial(check, None)
        try:
            data = self.render(
                brief, check.template, today or dt.date.today(), cancelled
            )
        except TemplateError as error:
            failed = f"trial with brief {brief.reference}: {error}"
            return TemplateTrial(replace(check, errors=(failed,)), None)
        return TemplateTrial(check, data)

    def field_map(
        self,
        choice: str,
        output: Path,
        cancelled: Callable[[], bool] | None = None,
    ) -> Path:
        """Write to ``output`` the demo brief filled into the template
        ``choice``, every value the template inserted highlighted and, in the
        body, a Word comment naming its field: which text came from where.

        Raises:
            TemplateError: the template cannot be filled in (the error says
                where, as an export's does).
            ExportError: ``output`` is not a .docx or cannot be written.
            RenderCancelledError: ``cancelled()`` became true.
        """
        if output.suffix.lower() != ".docx":
            raise ExportError(
                f"The field map is a Word file: {output.name} must end in .docx."
            )
        template = resolve_template(choice, self._folders)
        data = self.render(
            self._sample(), template, dt.date(2026, 11, 28), cancelled, field_map=True
        )
        write_atomically(output, data)
        return output

    def check_templates(
        self,
        templates: Sequence[TemplateInfo],
        cancelled: Callable[[], bool] | None = None,
    ) -> Iterator[tuple[int, TemplateCheck | Exception]]:
        """Check ``templates`` at once, each as ``check_template`` does; yield
        each one's position in ``templates`` and its check (or the error that
        stopped it) as soon as it is known.

        Results known from earlier checks of the same bytes come at once; the
        others are checked in child processes, as many at a time as there are
        processors. Leaving the loop early stops the checks still running.
        """
        pool = self._checking_pool()
        stop = threading.Event()

        def stopped() -> bool:
            return stop.is_set() or (cancelled is not None and cancelled())

        futures = {
            pool.submit(self.check_template, t, stopped): n
            for n, t in enumerate(templates)
        }
        try:
            for future in concurrent.futures.as_completed(futures):
                error = future.exception()
                if error is None:
                    yield futures[future], future.result()
                elif isinstance(error, Exception):
                    yield futures[future], error
                else:
                    raise error
        finally:
            stop.set()
            for future in futures:
                future.cancel()

    def _checking_pool(self) -> concurrent.futures.ThreadPoolExecutor:
        """The threads that wait on checks. They outlive each listing: a child
        process dies with the thread that started it (``PR_SET_PDEATHSIG``),
        and the window's spare renderer may be started from one of them."""
        with self._pool_lock:
            if self._check_pool is None:
                self._check_pool = concurrent.futures.ThreadPoolExecutor(
                    16, "briefapp-check"
                )
            return self._check_pool

    def _title_warnings(self, template: TemplateInfo) -> tuple[str, ...]:
        """A copy of a built-in template that kept its file name cannot be added;
        one that kept its title looks the same in lists."""
        built_in = list_templates(
            [f for f in self._folders if f.origin is TemplateOrigin.BUILT_IN]
        )
        if any(_same_file(t.path, template.path) for t in built_in):
            return ()
        warnings = []
        if template.name in {t.name for t in built_in}:
            warnings.append(
                f"file name: a built-in template is called “{template.name}”; rename "
                f"your copy (for example {template.name}-own.docx) to add it to "
                "your templates"
            )
        if template.title and template.title in {t.title for t in built_in}:
            warnings.append(
                f"properties: the title “{template.title}” is a built-in template's; "
                "give yours a title of its own (in Word: File › Info › Properties › "
                "Title) so that lists tell them apart"
            )
        return tuple(warnings)

    def _findings(
        self,
        path: Path,
        samples: tuple[Brief, ...],
        cancelled: Callable[[], bool] | None = None,
    ) -> list[CheckedFinding]:
        """What the checker finds in the template at ``path``: remembered for
        the same bytes, else found in a child process (``template_checks``)."""
        snapshot = Snapshot.read(path)
        if self._cache is not None:
            known = self._cache.lookup(snapshot)
            if known is not None:
                return known
        with slot(self._check_slots, cancelled), snapshot.copy() as copy:
            findings = self._run_checker(copy, samples, cancelled)
        if self._cache is not None:
            self._cache.store(snapshot, findings)
        return findings

    def _run_checker(
        self,
        path: Path,
        samples: tuple[Brief, ...],
        cancelled: Callable[[], bool] | None,
    ) -> list[CheckedFinding]:
        from briefapp.documents.checker import check_template
        from briefapp.documents.isolation import run_isolated

        found = run_isolated(
            check_template,
            path,
            samples,
            what=f"Checking the template {path.name}",
            timeout=self.render_timeout,
            cancelled=cancelled,
        )
        return [CheckedFinding(f.severity, f.where, f.message) for f in found]

    def replaced_by_adding(self, path: Path) -> Path | None:
        """The template of the user's that adding ``path`` would replace, if any."""
        target = self._user_folder / path.name
        if not target.exists() or _same_file(target, path):
            return None
        return target

    def add_template(
        self, path: Path, cancelled: Callable[[], bool] | None = None
    ) -> TemplateCheck:
        """Check ``path`` and, if it has no errors, copy it into the user's folder.

        The copy is made atomically; an existing template of the same name in
        the user's folder is replaced. The returned check says where it went.

        Raises:
            TemplateError: a built-in template has the same name (a copy of it
                would be hidden behind it).
        """
        built_in = {
            t.name for t in self.list_templates() if t.origin is TemplateOrigin.BUILT_IN
        }
        if path.stem in built_in:
            raise TemplateError(
                f"A built-in template is already called “{path.stem}”: rename your "
                f"copy (for example {path.stem}-own.docx) and add it again."
            )
        check = self.check_template(str(path), cancelled)
        if check.errors:
            return check
        target = self._user_folder / path.name
        if _same_file(target, path):  # already one of the user's templates
            return check
        data = read_user_file(path)
        self._user_folder.mkdir(parents=True, exist_ok=True)
        write_atomically(target, data)
        sidecar = path.with_suffix(".json")
        if sidecar.is_file():
            write_atomically(target.with_suffix(".json"), read_user_file(sidecar))
        log.info("added a template to the user's folder")
        return TemplateCheck(
            describe_template(target, TemplateOrigin.USER), warnings=check.warnings
        )

    def field_reference(self) -> str:
        """The generated reference of every value and filter templates can use."""
        from briefapp.documents.context import brief_context
        from briefapp.documents.reference import field_reference

        return field_reference(
            brief_context(self._sample(), today=dt.date(2026, 11, 28))
        )

    def export_docx(
        self,
        brief: Brief,
        output: Path,
        template: str | None = None,
        today: dt.date | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Path:
        """Render ``brief`` with ``template`` (a name or a path) into ``output``.

        The template is filled in a separate process that is stopped after
        ``render_timeout`` seconds or when ``cancelled()`` turns true. The file
        appears only once the whole document is rendered and checked; on any
        error an existing file at ``output`` is left as it was.

        Raises:
            BriefFormatError: the brief breaks a rule (an empty classification…).
            TemplateError: the template is unusable, too slow, or its output
                failed a check.
            RenderCancelledError: the user cancelled.
            ExportError: the file cannot be written.
        """
        return self._export(brief, output, template, today, cancelled, pdf=False)

    def preview_html(
        self,
        brief: Brief,
        template: str | None = None,
        today: dt.date | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> str:
        """The brief as ``template`` renders it, as HTML for the preview pane.

        Raises:
            TemplateError: as ``export_docx``.
            RenderCancelledError: ``cancelled()`` became true.
        """
        data, _ = self.render_with(brief, template, today, cancelled)
        return document_html(data, brief.classification)

    def read_back(
        self, docx: bytes, marking: str, cancelled: Callable[[], bool] | None = None
    ) -> bytes:
        """The PDF LibreOffice makes of ``docx`` (its indexes updated), once
        every page is read back and shows ``marking`` at its top and bottom
        and no other classification.

        Raises:
            ExportError: LibreOffice is missing, fails or takes too long.
            TemplateError: a page lacks the marking or shows another.
        """
        from briefapp.documents.pdf import check_pdf_marking, convert_to_pdf
        from briefapp.documents.text import clean_text

        pdf = convert_to_pdf(docx, timeout=self.render_timeout * 4, cancelled=cancelled)
        check_pdf_marking(pdf, docx, clean_text(marking))
        return pdf

    def pdf_available(self) -> bool:
        """Whether PDF export can work here (LibreOffice is installed)."""
        return self.pdf_unavailable_reason() is None

    def pdf_unavailable_reason(self) -> str | None:
        """Why PDF export cannot work here, and how to fix it; ``None`` if it can."""
        from briefapp.documents.pdf import INSTALL_HINT, pdf_converter

        return None if pdf_converter() is not None else INSTALL_HINT

    def export_pdf(
        self,
        brief: Brief,
        output: Path,
        template: str | None = None,
        today: dt.date | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Path:
        """Like ``export_docx``, then converted to PDF by LibreOffice.

        Raises:
            ExportError: LibreOffice is missing, fails or takes too long, or
                the file cannot be written; and as ``export_docx``.
        """
        return self._export(brief, output, template, today, cancelled, pdf=True)

    def _export(
        self,
        brief: Brief,
        output: Path,
        template: str | None,
        today: dt.date | None,
        cancelled: Callable[[], bool] | None,
        *,
        pdf: bool,
    ) -> Path:
        suffix = ".pdf" if pdf else ".docx"
        if output.suffix.lower() != suffix:
            kind = "PDF" if pdf else "Word"
            name = f"The {kind} file name {output.name}" if output.name else "The name"
            raise ExportError(f"{name} must end in {suffix}.")
        raise_for_problems(brief_problems(brief))
        data, chosen = self.render_with(brief, template, today, cancelled)
        if pdf:
            data = self.read_back(data, brief.classification, cancelled)
        write_atomically(output, data)
        log.info("exported brief %s with %s as %s", brief.id, chosen.name, suffix)
        return output

    def render_with(
        self,
        brief: Brief,
        template: str | None,
        today: dt.date | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> tuple[bytes, TemplateInfo]:
        """The checked DOCX bytes of ``brief`` rendered with ``template`` (a
        name, a path, or ``None`` for the default), and the template used."""
        chosen = resolve_template(template, self._folders)
        return self.render(brief, chosen, today or dt.date.today(), cancelled), chosen

    def render(
        self,
        brief: Brief,
        template: TemplateInfo,
        today: dt.date,
        cancelled: Callable[[], bool] | None = None,
        *,
        field_map: bool = False,
    ) -> bytes:
        """The checked DOCX bytes of ``brief`` rendered with ``template``
        (``field_map``: its inserted values marked, see ``field_map``)."""
        # Rendering pulls in Jinja, Babel and lxml: imported on the first export,
        # not at start-up.
        from briefapp.documents.isolation import (
            ContextRequest,
            RenderJob,
            render_isolated,
        )
        from briefapp.documents.package import inspect_package

        outside = link_problem(template.path, self._folders)
        problems = (
            [outside]
            if outside
            else [p.message for p in inspect_package(template.path)]
        )
        if problems:
            name, why = template.path.name, problems[0]
            raise TemplateError(f"The template {name} cannot be used: {why}.")
        job = RenderJob(
            template=template.path,
            # Built in the child: its time limit covers building the context too.
            context=ContextRequest(brief, today),
            marking=brief.classification,
            properties=document_properties(brief),
            language=template.language,
            field_map=field_map,
        )
        try:
            # A failed render is explained by the checker: place and suggestion.
            return render_isolated(
                job, timeout=self.render_timeout, cancelled=cancelled, explain=True
            )
        except TemplateError as error:
            named = _naming(template, error)
            if named is error:
                raise
            raise named from error

    def _sample(self) -> Brief:
        return loads_brief(self._sample_brief.read_bytes())

    def _samples(self) -> tuple[Brief, ...]:
        """The demo brief, and an empty brief with only what an export needs."""
        demo = self._sample()
        empty = Brief(
            reference=demo.reference,
            title=demo.title,
            classification=demo.classification,
        )
        return (demo, empty)


def document_html(data: bytes, marking: str) -> str:
    """A rendered document's body as HTML for a preview, under its ``marking``."""
    from briefapp.documents.preview import docx_to_html

    return docx_to_html(data, marking)


def document_properties(brief: Brief) -> DocumentProperties:
    from briefapp.documents.render import DocumentProperties

    return DocumentProperties(
        title=brief.title,
        author=brief.drafter,
        subject=brief.decision_sought.split("\n", 1)[0][:250],
        keywords=", ".join(["procurement", brief.brief_type.value]),
        category=brief.classification,
        identifier=brief.reference,
    )


def _naming(template: TemplateInfo, error: TemplateError) -> TemplateError:
    """``error``, saying which template it is about if it does not already
    (the output check speaks of the document, not of its template)."""
    name, message = template.path.name, str(error)
    if name in message:
        return error
    if message.startswith("The "):
        message = "the " + message.removeprefix("The ")
    return TemplateError(f"The template {name} cannot be used: {message}")


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False
