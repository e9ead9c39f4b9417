"""Every output format, rendered from one :class:`~codemod.report.model.Report` of the run's findings
(the package imports nothing, so that a replayed run can escape a message without the model)."""
