"""``python -m newsbot report``: one self-contained HTML page about the corpus and its runs, from
the state store and the run summaries. :mod:`~newsbot.report.data` gathers,
:mod:`~newsbot.report.svg` draws, :mod:`~newsbot.report.page` lays out and
:mod:`~newsbot.report.cli` is the command."""
