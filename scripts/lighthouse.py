"""
Lighthouse scores for a page of the site as production serves it (`make lighthouse`).

Starts the production-configuration gunicorn server the browser tests use
(tests/browser/server.py) on a free loopback port, runs npm's `lighthouse`
(installed on first use into the git-ignored .lighthouse/, at a pinned
version) against Debian's /usr/bin/chromium, prints the four category scores
and, for any below the budget, the audits that cost points. Reports land in
artifacts/lighthouse/ (git-ignored). Exits 1 when a score is under budget.

    .venv/bin/python scripts/lighthouse.py [--path /en/cell-therapy/ --path /da/] [--preset mobile --preset desktop]
                                           [--budget 100]
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.server import running_site  # noqa: E402

# 12.x is the newest Lighthouse that runs on Debian 12's Node.js 20 (13.x needs Node 22.19).
LIGHTHOUSE_VERSION = "12.8.2"
PREFIX = ROOT / ".lighthouse"
LIGHTHOUSE = PREFIX / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-sync --no-first-run"
)
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
REPORTS = ROOT / "artifacts" / "lighthouse"


def installed_version():
    package = PREFIX / "node_modules" / "lighthouse" / "package.json"
    return json.loads(package.read_text())["version"] if package.exists() else None


def ensure_lighthouse():
    if installed_version() == LIGHTHOUSE_VERSION:
        return
    print(f"Installing lighthouse {LIGHTHOUSE_VERSION} into {PREFIX.name}/ ...", flush=True)
    PREFIX.mkdir(exist_ok=True)
    subprocess.run(
        ["npm", "install", "--prefix", str(PREFIX), "--no-audit", "--no-fund", "--loglevel=error",
         f"lighthouse@{LIGHTHOUSE_VERSION}"],
        check=True,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip


def costly_audits(report, category):
    """The audits that took points off a category, worst first."""
    audits = report["audits"]
    lost = []
    for ref in report["categories"][category]["auditRefs"]:
        audit = audits[ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            lost.append((ref["weight"] * (1 - audit["score"]), audit))
    return [audit for _, audit in sorted(lost, key=lambda item: -item[0])]


def audit(site, path, preset, budget):
    """Run Lighthouse on one page; print its scores and what cost points; True when all are within budget."""
    name = path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-") or "home"
    output = REPORTS / f"{name}-{preset}"
    command = [
        str(LIGHTHOUSE),
        site.url + path,
        f"--only-categories={','.join(CATEGORIES)}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--output=json",
        "--output=html",
        f"--output-path={output}",
        "--quiet",
    ]
    if preset == "desktop":
        command.append("--preset=desktop")
    subprocess.run(command, check=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, stdin=subprocess.DEVNULL)

    report = json.loads(output.with_suffix(".report.json").read_text())
    scores = {category: round(report["categories"][category]["score"] * 100) for category in CATEGORIES}
    print(f"Lighthouse {report['lighthouseVersion']} on {path} ({preset}): " + " / ".join(map(str, scores.values())))
    within = True
    for category, score in scores.items():
        if score < budget:
            within = False
            print(f"  {report['categories'][category]['title']} {score}:")
            for lost in costly_audits(report, category):
                value = f" ({lost['displayValue']})" if lost.get("displayValue") else ""
                print(f"      - {lost['title']}{value}")
    return within


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--path", action="append", help="a page to audit; repeat for more (default: /en/cell-therapy/)"
    )
    parser.add_argument(
        "--preset", action="append", choices=["mobile", "desktop"], help="repeat for both (default: mobile)"
    )
    parser.add_argument("--budget", type=int, default=100, help="lowest acceptable score (default: %(default)s)")
    args = parser.parse_args()

    ensure_lighthouse()
    REPORTS.mkdir(parents=True, exist_ok=True)
    print("Scores: performance / accessibility / best practices / SEO")
    # One server for every page and preset: preparing it (migrate, seed) costs more than an audit.
    with tempfile.TemporaryDirectory() as work, running_site(work) as site:
        results = [
            audit(site, path, preset, args.budget)
            for path in args.path or ["/en/cell-therapy/"]
            for preset in args.preset or ["mobile"]
        ]
    print(f"Reports: {REPORTS.relative_to(ROOT)}/")
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
