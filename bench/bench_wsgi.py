"""The app as gunicorn serves it for bench/run.py: bare endpoints on, rate limits off."""

import os

from sinorus_learn import create_app

app = create_app(
    {
        "ENV_NAME": "development",
        "SQLALCHEMY_DATABASE_URI": os.environ["BENCH_DATABASE_URL"],
        "SECRET_KEY": os.environ["BENCH_SECRET_KEY"],
        "BENCH_ENDPOINTS": True,
        "RATELIMIT_ENABLED": False,
    }
)
