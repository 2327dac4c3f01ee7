"""The command line: ``briefapp`` opens the window; subcommands script the services.

Every failure a user can cause ends with one line on stderr and a non-zero
exit status; nothing prints a traceback (bugs are logged to the log file).
"""

from __future__ import annotations

import argparse
import errno
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from briefapp import __version__, paths
from briefapp.cli_clearance import add_clearance_commands, issued_copy
from briefapp.cli_output import block, field, safe_output
from briefapp.cli_storage import add_storage_commands, run_storage_command
from briefapp.cli_templates import templates_list
from briefapp.domain.errors import (
    AnalysisError,
    BriefFormatError,
    ReferenceTakenError,
    UserError,
)

if TYPE_CHECKING:
    from briefapp.domain.analysis import Analysis
    from briefapp.domain.entities import Brief
    from briefapp.domain.templates import TemplateCheck
    from briefapp.services.export import ExportService
    from briefapp.services.session import Services

log = logging.getLogger(__name__)

EXIT_USER_ERROR = 1
EXIT_USAGE = 2
EXIT_BUG = 3


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        print(f"{self.prog}: {message} (see {self.prog} --help)", file=sys.stderr)
        sys.exit(EXIT_USAGE)


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="PATH",
        type=_database_argument,
        default=argparse.SUPPRESS,
        help=f"database file (default: ${paths.DB_ENV_VAR}, else "
        f"{paths.default_database_path()})",
    )
    common.add_argument(
        "--templates",
        metavar="DIR",
        default=argparse.SUPPRESS,
        help="a folder of Word templates, listed after the built-in ones and yours",
    )
    common.add_argument(
        "--as",
        dest="acting",
        metavar="NAME",
        default=argparse.SUPPRESS,
        help="act as this person in clearance and edits (default: the name set "
        "in Preferences, else your login name)",
    )
    common.add_argument(
        "--timeout",
        metavar="SECONDS",
        type=_seconds,
        default=argparse.SUPPRESS,
        help="how long filling in a template (with the brief's values) may take "
        "before it is stopped "
        "(default: 30)",
    )
    parser = _Parser(
        prog="briefapp",
        description="Draft procurement decision briefs and export them to Word. "
        "Without a command, opens the window.",
        parents=[common],
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )
    _add_brief_commands(commands, common)
    add_clearance_commands(commands, common)
    add_storage_commands(commands, common)
    _add_template_commands(commands, common)
    keys = commands.add_parser("keys", help="the key that signs the files you issue")
    key_commands = keys.add_subparsers(
        dest="keys_command", metavar="COMMAND", parser_class=_Parser, required=True
    )
    export = key_commands.add_parser(
        "export",
        parents=[common],
        help="write the public key that `briefapp verify --key` checks your issued "
        "files with (the private key stays in your data folder)",
    )
    export.add_argument("-o", "--output", type=Path, required=True, metavar="FILE.pub")
    export.set_defaults(standalone=_keys_export)
    return parser


def _add_brief_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    listing = commands.add_parser("list", parents=[common], help="list the briefs")
    listing.set_defaults(handler=_list)

    importing = commands.add_parser(
        "import", parents=[common], help="import a .brief.json file; prints the new id"
    )
    importing.add_argument("file", type=Path)
    existing = importing.add_mutually_exclusive_group()
    existing.add_argument(
        "--as-new",
        dest="existing",
        action="store_const",
        const="as-new",
        help="if a brief already has the file's reference, import it as a new "
        "brief with a numbered reference (printed)",
    )
    existing.add_argument(
        "--replace",
        dest="existing",
        action="store_const",
        const="replace",
        help="if a draft already has the file's reference, replace its content",
    )
    importing.set_defaults(handler=_import, existing="refuse")

    updating = commands.add_parser(
        "update",
        parents=[common],
        help="replace a draft's content with a .brief.json file's (one edit)",
    )
    updating.add_argument("id", type=int)
    updating.add_argument("file", type=Path)
    updating.set_defaults(handler=_update)

    exporting = commands.add_parser(
        "export", parents=[common], help="write a brief to a .brief.json file"
    )
    exporting.add_argument("id", type=int)
    exporting.add_argument("-o", "--output", type=Path, required=True, metavar="FILE")
    exporting.set_defaults(handler=_export)

    rendering = commands.add_parser(
        "render",
        parents=[common],
        help="write a brief to a Word file (or a PDF, with LibreOffice installed)",
    )
    rendering.add_argument("id", type=int)
    rendering.add_argument(
        "-t",
        "--template",
        metavar="TEMPLATE",
        help="a built-in template name or the path of a .docx template "
        "(default: decision-brief)",
    )
    rendering.add_argument(
        "-o", "--output", type=Path, required=True, metavar="OUT.docx|OUT.pdf"
    )
    rendering.set_defaults(handler=_render)

    analysing = commands.add_parser(
        "analyse",
        parents=[common],
        help="screen, score and rank a brief's options and test the ranking",
    )
    analysing.add_argument("id", type=int)
    analysing.add_argument(
        "--json", action="store_true", help="print JSON, numbers at full precision"
    )
    analysing.set_defaults(handler=_analyse)


def _add_template_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    templates = commands.add_parser("templates", help="work with Word templates")
    template_commands = templates.add_subparsers(
        dest="templates_command", metavar="COMMAND", parser_class=_Parser, required=True
    )
    template_list = template_commands.add_parser(
        "list",
        parents=[common],
        help="list the templates with their origin and whether they pass the checker",
    )
    template_list.set_defaults(handler=templates_list)
    check = template_commands.add_parser(
        "check",
        parents=[common],
        help="check Word templates and name every mistake with its place",
    )
    check.add_argument("files", nargs="+", metavar="FILE.docx")
    check.add_argument(
        "--with",
        dest="with_brief",
        type=int,
        metavar="ID",
        help="also fill each template in with this brief of the database",
    )
    check.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="FILE.docx",
        help="with --with and one template: write the filled-in trial here",
    )
    check.set_defaults(handler=_templates_check)
    field_map = template_commands.add_parser(
        "map",
        parents=[common],
        help="fill a template in with the demo brief, every inserted value "
        "highlighted with a comment naming its field",
    )
    field_map.add_argument("file", metavar="FILE.docx")
    field_map.add_argument(
        "-o", "--output", type=Path, metavar="MAP.docx", required=True
    )
    field_map.set_defaults(handler=_templates_map)
    reference = template_commands.add_parser(
        "reference",
        parents=[common],
        help="print (or write) the reference of every field and filter",
    )
    reference.add_argument("-o", "--output", type=Path, metavar="FILE")
    reference.set_defaults(handler=_templates_reference)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    from briefapp.app import configure_logging, run_window

    _tolerant_output()
    args = build_parser().parse_args(argv)
    configure_logging()
    database = paths.database_path(getattr(args, "db", None))
    extra_templates = getattr(args, "templates", None)
    timeout = getattr(args, "timeout", None)
    if args.command is None:
        return run_window(database, extra_templates, timeout)
    try:
        _refuse_long_paths(args, database)
        # Whatever a command prints has the controls of user text escaped.
        with safe_output():
            if getattr(args, "templates_command", None):
                _run_template_command(args, database, extra_templates, timeout)
            elif getattr(args, "storage", None):
                run_storage_command(args, database)
            elif getattr(args, "standalone", None):
                args.standalone(args)
            else:
                return _run_brief_command(args, database, extra_templates, timeout)
    except BriefFormatError as error:  # every problem, so one round fixes all
        for path, problem in error.problems:
            line = f"{path}: {problem}" if path else problem
            print(f"briefapp: {field(line)}", file=sys.stderr)
        return EXIT_USER_ERROR
    except UserError as error:
        print(f"briefapp: {block(str(error))}", file=sys.stderr)
        return EXIT_USER_ERROR
    except BrokenPipeError:
        # The reader stopped reading (`briefapp list | head`): not an error of
        # ours. Point stdout at nothing so that closing it cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as error:
        if error.errno != errno.ENAMETOOLONG:
            return _unexpected(args)
        # A name made from one given (a backup's, a lock file's) came out too long.
        print(
            f"briefapp: {field(str(error.filename))}: the name is too long for the "
            "file system; choose a shorter one.",
            file=sys.stderr,
        )
        return EXIT_USER_ERROR
    except Exception:
        return _unexpected(args)
    return 0


def _unexpected(args: argparse.Namespace) -> int:
    """A bug: logged with its traceback, one line for the user."""
    log.exception("briefapp %s failed", args.command)
    print(
        f"briefapp: unexpected error; the details are in {paths.log_file()}",
        file=sys.stderr,
    )
    return EXIT_BUG


def _refuse_long_paths(args: argparse.Namespace, database: Path) -> None:
    """Refuse a path argument the file system cannot take, naming it
    (``templates check`` reports its files one by one instead)."""
    from briefapp.services.files import refuse_long_name

    given = [database, getattr(args, "templates", None)]
    given += [
        value
        for name, value in vars(args).items()
        if isinstance(value, Path) or (name == "template" and value)
    ]
    for path in given:
        if path is not None:
            refuse_long_name(path)


def _tolerant_output() -> None:
    """Print what the terminal cannot show (a file name that is not valid
    UTF-8, a title in a script the console lacks) as escapes instead of
    failing half-way through a listing."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


def _run_brief_command(
    args: argparse.Namespace,
    database: Path,
    extra_templates: str | None,
    timeout: float | None,
) -> int:
    handler: Callable[[argparse.Namespace, Services], int | None] = args.handler
    if args.command == "verify" and args.key is not None:
        return _verify_with_key(args)  # by the signature: no database needed
    if args.command == "verify" and not database.exists():
        raise UserError(f"There is no database at {database} to verify against.")
    services = _open(database, extra_templates, timeout, _acting(args))
    if services.created:
        print(
            f"briefapp: created a new database at {database} "
            "(with the illustrative demo brief)",
            file=sys.stderr,
        )
    try:
        return handler(args, services) or 0
    finally:
        services.close()


def _verify_with_key(args: argparse.Namespace) -> int:
    """``verify --key``: by the signature alone, no database opened."""
    from briefapp.services.verification import verify_with_key

    result = verify_with_key(args.file, args.key)
    print(result.message)
    return int(result.verdict)


def _keys_export(args: argparse.Namespace) -> None:
    """Write the public key of the issuing key (made now if there is none)."""
    from briefapp.services.issuing_keys import export_public_key

    key = export_public_key(paths.issuing_key_file(), args.output)
    print(args.output)
    print(
        f"briefapp: wrote the public key {key} of {paths.issuing_key_file()}; "
        f"`briefapp verify --key {args.output.name} FILE.docx` checks the files "
        "you issue with it",
        file=sys.stderr,
    )


def _run_template_command(
    args: argparse.Namespace,
    database: Path,
    extra_templates: str | None,
    timeout: float | None,
) -> None:
    """Template commands need no database, unless a brief of it is tried."""
    from briefapp.app import locations
    from briefapp.services.locations import template_service

    if getattr(args, "with_brief", None) is None:
        args.handler(args, template_service(locations(extra_templates, timeout)))
        return
    if not database.exists():
        raise UserError(f"There is no database at {database} to take brief from.")
    services = _open(database, extra_templates, timeout, _acting(args))
    try:
        brief = services.briefs.get_brief(args.with_brief)
        args.handler(args, services.export, brief)
    finally:
        services.close()


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        seconds = 0
    if not 1 <= seconds <= 3600:
        raise argparse.ArgumentTypeError("give a number of seconds from 1 to 3600")
    return seconds


def _database_argument(value: str) -> str:
    if not value.strip():
        raise argparse.ArgumentTypeError("--db needs the path of a database file")
    return value


def _open(
    database: Path, extra_templates: str | None, timeout: float | None, user: str
) -> Services:
    from briefapp.app import locations
    from briefapp.services.session import open_services
    from briefapp.settings import Settings

    kept = Settings.load(paths.settings_file()).backups_kept
    # Each command checks the file's header and tables, not every page: that
    # is the window's check at start, and a damaged page read here is reported.
    return open_services(
        database, locations(extra_templates, timeout), user, kept, thorough=False
    )


def _acting(args: argparse.Namespace) -> str:
    """Who the command acts as: ``--as``, else the name set in the window's
    Preferences, else the login name."""
    from briefapp.settings import Settings

    given = " ".join((getattr(args, "acting", None) or "").split())
    return given or Settings.load(paths.settings_file()).user_name()


def _list(_args: argparse.Namespace, services: Services) -> None:
    for brief in services.briefs.list_briefs():
        print(
            f"{brief.id}\t{brief.status.value}\t{field(brief.reference)}"
            f"\t{field(brief.title)}"
        )


def _import(args: argparse.Namespace, services: Services) -> None:
    from briefapp.services.briefs import ExistingReference

    existing = ExistingReference(args.existing)
    try:
        brief = services.briefs.import_brief_file(args.file, existing)
    except ReferenceTakenError as error:
        reference = field(error.reference.strip())
        raise UserError(
            f"Reference {reference} is already used by brief {error.brief_id}: "
            "import with --as-new to give this brief a new reference, or with "
            f"--replace to replace brief {error.brief_id}"
            + (" (a draft)." if error.draft else " (only a draft can be replaced).")
        ) from None
    print(brief.id)
    if existing is ExistingReference.AS_NEW:
        print(f"briefapp: imported as {field(brief.reference)}", file=sys.stderr)


def _update(args: argparse.Namespace, services: Services) -> None:
    before = services.briefs.get_brief(args.id).status
    brief = services.briefs.update_from_file(args.id, args.file)
    revised = before is not brief.status
    print(
        f"{field(brief.reference)} saved"
        + (" (a draft again after changes were requested)" if revised else "")
    )


def _export(args: argparse.Namespace, services: Services) -> None:
    services.briefs.export_brief_file(args.id, args.output)


def _render(args: argparse.Namespace, services: Services) -> None:
    from briefapp.domain.analysis import Severity, analyse

    brief = services.briefs.get_brief(args.id)
    if issued_copy(args, services, brief.status):
        return
    if args.output.suffix.lower() == ".pdf":
        services.export.export_pdf(brief, args.output, template=args.template)
    else:
        services.export.export_docx(brief, args.output, template=args.template)
    # The document states the analysis: say where it contradicts the brief.
    for check in analyse(brief).checks:
        if check.severity is Severity.ERROR or check.area == "recommended_option":
            print(f"briefapp: warning: {check.message}", file=sys.stderr)


def _analyse(args: argparse.Namespace, services: Services) -> None:
    from briefapp.domain.analysis import analyse, analysis_to_dict

    brief = services.briefs.get_brief(args.id)
    analysis = analyse(brief)
    if args.json:
        print(json.dumps(analysis_to_dict(analysis), ensure_ascii=False, indent=2))
    else:
        print(analysis_text(analysis), end="")
    if brief.criteria and not analysis.weights:
        raise AnalysisError(
            "Every criterion has a weight of zero: give at least one criterion a "
            "weight above zero."
        )


def analysis_text(analysis: Analysis) -> str:
    """The analysis as the command line prints it (numbers to one decimal)."""
    from briefapp.domain.analysis import robustness_sentence

    lines = ["Ranking (rank, option, weighted score out of 100)"]
    for r in analysis.ranked:
        lines.append(
            f"  {r.rank:>2}  {r.option:<6} {_points(r.score)}  {field(r.title)}"
        )
    if not analysis.ranked:
        lines.append("  (none)")
    if analysis.screened_out:
        lines.append("Screened out")
        for r in analysis.screened_out:
            reasons = "; ".join(
                f"fails {x.constraint} ({field(x.title)})"
                + (f": {field(x.note.rstrip('.'))}" if x.note else "")
                for x in r.reasons
            )
            lines.append(f"      {r.option:<6}        {reasons}")
    if analysis.sensitivity:
        lines.append("Sensitivity: weight now, range in which first place holds")
        for s in analysis.sensitivity:
            takers = []
            if s.leader_below:
                takers.append(f"below: {s.leader_below}")
            if s.next_leader:
                takers.append(f"above: {s.next_leader}")
            lines.append(
                f"  {s.criterion:<6} {_share(s.weight)}  {_share(s.stable_from)} to "
                f"{_share(s.stable_to)}  "
                f"{', '.join(takers) or 'cannot change first place':<26}  "
                f"{field(s.title)}"
            )
    lines.append(robustness_sentence(analysis))
    if analysis.checks:
        lines.append("Checks")
        lines += [
            f"  {c.severity.value:<7}  {c.where}: {field(c.message)}"
            for c in analysis.checks
        ]
    return "\n".join(lines) + "\n"


def _share(weight: float) -> str:
    return f"{weight * 100:5.1f}%"


def _points(score: float | None) -> str:
    return "    –" if score is None else f"{score:5.1f}"


def _templates_check(
    args: argparse.Namespace, export: ExportService, brief: Brief | None = None
) -> None:
    from briefapp.services.files import refuse_long_name

    if args.output is not None and (brief is None or len(args.files) > 1):
        raise UserError(
            "-o writes the trial of one template: give one FILE and --with ID."
        )
    if args.output is not None and args.output.suffix.lower() != ".docx":
        raise UserError(
            f"The trial is a Word file: {args.output.name} must end in .docx."
        )
    failed = 0
    for name in args.files:
        shown = field(name)
        try:
            refuse_long_name(name)
            check = _check_one(name, export, brief, args.output)
        except UserError as error:  # not a file, missing: go on with the others
            print(f"{shown}: error: {field(str(error))}")
            failed += 1
            continue
        except Exception:  # a bug on one file must not hide the others' results
            log.exception("checking a template failed")
            log_file = paths.log_file()
            print(f"{shown}: error: not checked (unexpected error; see {log_file})")
            failed += 1
            continue
        for line in check.errors:
            print(f"{shown}: error: {field(line)}")
        for line in check.warnings:
            print(f"{shown}: warning: {field(line)}")
        if not check.errors:
            tried = "" if brief is None else f", and filled in with brief {brief.id}"
            warned = " (with warnings)" if check.warnings else ""
            print(f"{shown}: ok{warned}{tried}")
        failed += bool(check.errors)
    if failed:
        raise UserError(
            f"{failed} of {len(args.files)} template"
            f"{'s' if len(args.files) > 1 else ''} failed the check"
        )


def _check_one(
    name: str, export: ExportService, brief: Brief | None, output: Path | None
) -> TemplateCheck:
    """The check of one template; with ``brief`` also its trial, written to
    ``output`` if given and the trial worked."""
    from briefapp.services.files import write_atomically

    if brief is None:
        return export.check_template(name)
    trial = export.try_template(name, brief)
    if trial.document is not None and output is not None:
        write_atomically(output, trial.document)
        print(f"briefapp: wrote the trial to {field(str(output))}", file=sys.stderr)
    return trial.check


def _templates_map(args: argparse.Namespace, export: ExportService) -> None:
    written = export.field_map(args.file, args.output)
    print(
        f"briefapp: wrote the field map of {field(args.file)} to {field(str(written))}",
        file=sys.stderr,
    )


def _templates_reference(args: argparse.Namespace, export: ExportService) -> None:
    from briefapp.services.files import write_atomically

    text = export.field_reference()
    if args.output is None:
        print(text, end="")
    else:
        write_atomically(args.output, text.encode("utf-8"))
