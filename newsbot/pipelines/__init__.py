"""Item pipelines, one job each; their order is ``ITEM_PIPELINES`` in ``newsbot.settings``."""
