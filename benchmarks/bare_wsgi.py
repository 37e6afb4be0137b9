"""The yardstick for benchmarks/load.py: a bare Flask route rendering a small compiled template.

Served by gunicorn with the same settings as `matchmaker serve`; whatever a real page costs
beyond this is the page's own work.
"""

from __future__ import annotations

from flask import Flask, render_template_string

TEMPLATE = """<!doctype html><html lang="en"><head><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1>
<ul>{% for item in items %}<li><a href="?page={{ item }}">{{ item }}</a></li>{% endfor %}</ul>
</body></html>"""

app = Flask(__name__)


@app.get("/")
def bare():
    return render_template_string(TEMPLATE, title="Bare", items=range(10))
