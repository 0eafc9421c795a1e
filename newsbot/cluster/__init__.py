"""Scaling out: several ``scrapy crawl bn_world`` workers share one crawl.

Setting ``NEWSBOT_REDIS_URL`` turns a crawl into a worker of a shared run (see the README,
"Scaling out"). Modules: ``config`` (run and worker names, Redis keys), ``addon`` (the settings a
worker runs with), ``scheduler`` (scrapy-redis scheduler and duplicate filter under run-scoped,
expiring keys), ``serializer`` (requests in Redis as JSON, not pickle), ``seed`` (start points
pushed once per run; ``python -m newsbot seed``), ``extension`` (idle close, heartbeats,
claims released at close), ``limiter`` (per-domain rate and concurrency shared by all workers),
``redisadapter`` (the one place that touches scrapy-redis internals), ``canary`` (the outlet
canary of a shared run), ``templates`` (learned template lines shared in the state store).
The state store in PostgreSQL is :mod:`newsbot.state.postgres`.
"""
