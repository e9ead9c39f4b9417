"""The SB001 rename as a LibCST codemod command, for ``python -m libcst.tool codemod``.

    python -m libcst.tool codemod -x codemod.libcst_command.RenameAccountBalance --no-format PATH

It runs the same analysis as ``stripe-codemod --select SB001 --write`` on each file
(imports of other modules are followed from the file's own folder), and skips a file that
has nothing to rename or cannot be analysed, with the reason.
"""
from __future__ import annotations

import libcst as cst
from libcst.codemod import CodemodCommand, SkipFile

from .engine import check_source
from .findings import REVIEW
from .options import Options
from .provenance import Project


class RenameAccountBalance(CodemodCommand):
    DESCRIPTION: str = "Rename Stripe Customer `account_balance` to `balance` where the code proves it is Stripe data."

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        filename = self.context.filename
        options = Options(select=frozenset({"SB001", "SB900"}))
        result = check_source(filename or "-", tree.bytes, options, filename, Project())
        if result.error is not None:
            raise SkipFile(result.error)
        if not result.changed:
            raise SkipFile("no proven Stripe Customer `account_balance` here")
        for finding in result.findings:
            if finding.status == REVIEW:
                self.warn(f"line {finding.line}: {finding.code} {finding.message} ({finding.why})")
        return cst.parse_module(result.output)
