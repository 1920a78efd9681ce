"""Writes a fixture site of N article pages (default 2,000) and an RSS feed listing them, made
from the seed site's five pages with varied titles, dates and paragraphs, for the pipeline
benchmark (see BENCHMARKS.md).

    python3 bench/pipeline/make_site.py OUT_DIR [N] [BASE_URL]
"""
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SEEDS = ROOT / "tests" / "fixtures" / "seed-site" / "artikel"


def main():
    out = Path(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    base = sys.argv[3] if len(sys.argv) > 3 else "http://127.0.0.1:18700"
    templates = []
    for p in sorted(SEEDS.glob("*.html")):
        raw = p.read_bytes()
        text = raw.decode("cp1252") if p.name == "001.html" else raw.decode("utf-8")
        templates.append(text.replace("charset=windows-1252", "charset=utf-8"))
    (out / "artikel").mkdir(parents=True, exist_ok=True)
    items = []
    for i in range(n):
        page = templates[i % len(templates)]
        title = f"Meldung {i}: Kooperation von Land und Kommunen, Teil {i // len(templates)}"
        page = re.sub(r"<h1[^>]*>.*?</h1>", f"<h1>{title}</h1>", page, count=1, flags=re.S)
        page = re.sub(r'<link rel="canonical" href="[^"]*"', f'<link rel="canonical" href="/artikel/{i}.html"', page)
        page = page.replace("</article>", f"<p>Ergänzung {i}: Diese Meldung trägt die laufende Nummer {i} und "
                                          f"beschreibt den Stand der Zusammenarbeit im Jahr {2000 + i % 25}.</p></article>", 1)
        (out / "artikel" / f"{i}.html").write_text(page, encoding="utf-8")
        items.append(f"<item><title>{title}</title><link>{base}/artikel/{i}.html</link>"
                      f"<guid>{base}/artikel/{i}.html</guid></item>")
    feed = ("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss version=\"2.0\"><channel><title>Benchmark</title>"
            f"<link>{base}/</link>{''.join(items)}</channel></rss>")
    (out / "feed.xml").write_text(feed, encoding="utf-8")
    print(f"{n} pages in {out}")


if __name__ == "__main__":
    main()
