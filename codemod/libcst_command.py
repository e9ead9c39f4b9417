"""The catalog's safe fixes as LibCST codemod commands, for ``python -m libcst.tool codemod``.

    python -m libcst.tool codemod -x codemod.libcst_command.StripeApiMigration --no-format PATH
    python -m libcst.tool codemod -x codemod.libcst_command.RenameAccountBalance --no-format PATH

They run the same analysis as ``stripe-codemod --write`` (with the catalog's renames, or
SB001 alone) on each file (imports of other modules are followed from the file's own
folder), warn about every review item, and skip a file that has nothing to fix or cannot
be analysed, with the reason.
"""
from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodCommand, SkipFile

from .catalog import BY_CODE, CHANGES, RENAME
from .engine import check_source
from .findings import REVIEW
from .options import Options
from .provenance import Project

_RENAMES = [change for change in CHANGES if change.action == RENAME]


class StripeApiMigration(CodemodCommand):
    DESCRIPTION: str = "Stripe API 2019-10-17: " + ", ".join(f"`{c.old}` -> `{c.new}`" for c in _RENAMES) + \
        ", where the code proves it is Stripe data."
    CODES: frozenset[str] = frozenset(change.code for change in CHANGES)

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        options = Options(select=self.CODES | {"SB900"})
        result = check_source(filename or "-", tree.bytes, options, filename, Project())
        if result.error is not None:
            raise SkipFile(result.error)
        if not result.changed:
            raise SkipFile("nothing proven to migrate here")
        for finding in result.findings:
            if finding.status == REVIEW:
                self.warn(f"line {finding.line}: {finding.code} {finding.message} ({finding.why})")
        return cst.parse_module(result.output)


class RenameAccountBalance(StripeApiMigration):
    DESCRIPTION: str = BY_CODE["SB001"].summary + ", where the code proves it is Stripe data."
    CODES = frozenset({"SB001"})
