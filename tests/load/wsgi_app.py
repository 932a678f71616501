"""The app gunicorn serves in the load tests; overrides come as JSON in SINORUS_TEST_CONFIG."""

import json
import os

from sinorus_learn import create_app

app = create_app(json.loads(os.environ["SINORUS_TEST_CONFIG"]))
