"""newsbot's Scrapy commands (``COMMANDS_MODULE``): ``crawl`` (one run at a time, documented
exit codes) and ``deliver`` (store spooled feeds)."""
