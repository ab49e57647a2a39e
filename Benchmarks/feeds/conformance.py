#!/usr/bin/env python3
"""Conformance of `sift parse-feed` against feedparser's own test cases.

Every XML test file in feedparser's source distribution carries a comment header with a
`Description:` and an `Expect:` line, a Python expression over feedparser's result, e.g.
`not bozo and entries[0]['title'] == 'Example <b>Atom</b>'`. This script runs
`sift parse-feed` on each file, maps its JSON into a feedparser-like dictionary and evaluates
the expression when it only touches what the parse-feed contract covers:

- `bozo` (= not well_formed), `version` (from `format`),
- `feed.title`, `feed.link`,
- `entries[i]`: id/guid, title, link, author, summary/description, content[0].value,
  published_parsed/issued_parsed, updated_parsed/modified_parsed/date_parsed (as UTC 9-tuples).

- title_detail.value / summary_detail.value (the same strings), author_detail.name (the
  entry's author: the contract's `author` is a person's name, which is what feedparser keeps
  in author_detail.name, its `author` being "Name (email)").

Anything else (title_detail.type, links, encoding, raw date strings, ...) makes the test
"not applicable". feedparser copies a text/HTML content into `summary` when an entry has no
summary; the contract keeps them apart, so a missing summary compares the content instead.
Unless --strict, HTML-equivalent spellings compare equal (`&#38;` / `&#x26;` / `&amp;`,
`&#x2019;` / `’`, `&gt;` / `>`), since Sift serializes from a parsed tree and cannot keep the
source's spelling. Files whose path contains "http" are treated as feedparser's test runner
serves them: document URL http://127.0.0.1:8097/<path> (or its Content-Location header) as
the base URL, and the `Header: Content-type:` line as the HTTP content type.

Usage: conformance.py --sift PATH/TO/sift --tests PATH/TO/feedparser/tests [--verbose]
       [--only SUBSTRING] [--jobs N] [--strict] [--all-codecs] [--json FILE]
"""

import argparse
import ast
import calendar
import collections
import concurrent.futures
import json
import os
import re
import subprocess
import sys
import time

HOST_PREFIX = "http://127.0.0.1:8097/"
SKIP_RE = re.compile(rb"SkipUnless:\s*(.*?)\n")
DESC_RE = re.compile(rb"Description:\s*(.*?)\s*Expect:\s*(.*)\s*-->")
HEADER_RE = re.compile(rb"^Header:\s+([^:]+):(.+)$", re.MULTILINE)

VERSIONS = {
    "rss090": ["rss090"],
    "rss091": ["rss091u", "rss091n", "rss091"],
    "rss092": ["rss092"],
    "rss093": ["rss093"],
    "rss094": ["rss094"],
    "rss2": ["rss20", "rss"],
    "rss1": ["rss10"],
    "atom03": ["atom03", "atom02", "atom01", "atom"],
    "atom10": ["atom10"],
    "json": ["json1", "json11", "json10"],
    "cdf": ["cdf"],
    "unknown": [""],
}


class FEEDPARSER_FEATURES:  # noqa: N801 - stands for the `feedparser` module in SkipUnless lines
    """What a `SkipUnless: feedparser.X` line asks of the parser, answered for Sift: it has a URI
    scheme allow-list too (no `javascript:` bases or links)."""

    ACCEPTABLE_URI_SCHEMES = ("http", "https", "ftp", "mailto")


class NotApplicable(Exception):
    """The expression touches something the parse-feed contract does not cover."""


class Version(str):
    """A version string equal to any of the feedparser names one Sift format stands for."""

    def __new__(cls, names):
        obj = str.__new__(cls, names[0])
        obj.names = names
        return obj

    def __eq__(self, other):
        return other in self.names

    def __ne__(self, other):
        return other not in self.names

    __hash__ = str.__hash__


class Node(dict):
    """A feedparser-like dictionary: item and attribute access, key aliases, and a covered set."""

    keymap = {}
    covered = frozenset()

    def _resolve(self, key):
        if key not in self.covered and key not in self.keymap:
            raise NotApplicable(f"{type(self).__name__.lower()}.{key}")
        real = self.keymap.get(key, key)
        if isinstance(real, str):
            real = [real]
        for name in real:
            if dict.__contains__(self, name):
                return dict.__getitem__(self, name)
        if key == "updated" and dict.__contains__(self, "published"):
            return dict.__getitem__(self, "published")
        if key == "updated_parsed" and dict.__contains__(self, "published_parsed"):
            return dict.__getitem__(self, "published_parsed")
        raise KeyError(key)

    def __getitem__(self, key):
        return self._resolve(key)

    def __getattr__(self, key):
        if key.startswith("__"):
            raise AttributeError(key)
        try:
            return self._resolve(key)
        except KeyError:
            raise AttributeError(key) from None

    def __contains__(self, key):
        if key in ("updated", "updated_parsed"):
            if key not in self.covered:
                raise NotApplicable(key)
            return dict.__contains__(self, key)
        try:
            self._resolve(key)
        except KeyError:
            return False
        return True

    has_key = __contains__

    def get(self, key, default=None):
        try:
            return self._resolve(key)
        except KeyError:
            return default

    def keys(self):
        raise NotApplicable("keys()")


class Feed(Node):
    covered = frozenset({"title", "link", "title_detail"})
    keymap = {"channel": "feed"}


class Entry(Node):
    covered = frozenset({"id", "title", "link", "author", "summary", "content", "title_detail", "summary_detail",
                         "author_detail", "published_parsed", "updated_parsed"})
    keymap = {"guid": "id", "description": "summary", "description_detail": "summary_detail", "date_parsed": "updated_parsed",
              "modified_parsed": "updated_parsed", "issued_parsed": "published_parsed"}


class Content(Node):
    covered = frozenset({"value"})


class Detail(Node):
    """title_detail / summary_detail: only the value is covered."""

    covered = frozenset({"value"})


class Person(Node):
    """author_detail: only the name is covered (it is the contract's `author`)."""

    covered = frozenset({"name"})


class Env(dict):
    """The evaluation namespace: names the contract covers, NotApplicable for the rest."""

    def __getitem__(self, key):
        if dict.__contains__(self, key):
            return dict.__getitem__(self, key)
        if key in ("True", "False", "None", "len", "str", "int", "tuple", "list", "isinstance", "u", "ord",
                   "type", "bool", "float", "min", "max", "sorted", "set", "any", "all"):
            raise KeyError(key)  # falls through to builtins
        raise NotApplicable(key)


ALLOWED_NAMES = frozenset({"bozo", "version", "feed", "channel", "entries", "items", "len", "str", "int",
                           "tuple", "list", "isinstance", "True", "False", "None", "u", "bool", "ord"})
ALLOWED_KEYS = Feed.covered | Entry.covered | frozenset(Entry.keymap) | Content.covered | Person.covered | frozenset(
    {"get", "has_key"})


def uncovered(expect):
    """The first name, key or attribute of the expression outside the contract, if any."""
    try:
        tree = ast.parse(expect, mode="eval")
    except SyntaxError:
        return "unparsable expression"
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in ALLOWED_NAMES:
            return node.id
        if isinstance(node, ast.Attribute) and node.attr not in ALLOWED_KEYS:
            return node.attr
        if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant) \
                and isinstance(node.slice.value, str) and node.slice.value not in ALLOWED_KEYS:
            return node.slice.value
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.args \
                and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str) \
                and node.args[0].value not in ALLOWED_KEYS:
            return node.args[0].value
        if isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
                and isinstance(node.left, ast.Constant) and node.left.value not in ALLOWED_KEYS:
            return str(node.left.value)
    return None


NUMERIC_REF = re.compile(r"&#([0-9]+);|&#[xX]([0-9a-fA-F]+);")


def canonical(text):
    """One spelling for HTML-equivalent strings: numeric character references decoded
    (`&#x2019;` is `’`), except that &, < and > are always `&amp;`, `&lt;` and `>`
    (`&#38;`, `&#x26;` and `&amp;` are the same; `>` needs no escaping in HTML)."""
    def decode(match):
        code = int(match.group(1)) if match.group(1) else int(match.group(2), 16)
        if code == 0x26:
            return "&amp;"
        if code == 0x3C:
            return "&lt;"
        try:
            return chr(code)
        except (ValueError, OverflowError):
            return match.group(0)
    return NUMERIC_REF.sub(decode, text).replace("&gt;", ">")


class Canonicalize(ast.NodeTransformer):
    def visit_Constant(self, node):
        if isinstance(node.value, str):
            return ast.copy_location(ast.Constant(canonical(node.value)), node)
        return node


def compile_expect(expect, strict):
    tree = ast.parse(expect, mode="eval")
    if not strict:
        tree = ast.fix_missing_locations(Canonicalize().visit(tree))
    return compile(tree, "<expect>", "eval")


def utc_tuple(text):
    stamp = calendar.timegm(time.strptime(text, "%Y-%m-%dT%H:%M:%SZ"))
    return tuple(time.gmtime(stamp))


def add_details(node):
    for key in ("title", "summary"):
        if dict.__contains__(node, key):
            detail = Detail()
            dict.__setitem__(detail, "value", dict.__getitem__(node, key))
            dict.__setitem__(node, key + "_detail", detail)


def to_env(result, strict=False):
    feed = Feed()
    for key in ("title", "link"):
        if key in result.get("feed", {}):
            value = result["feed"][key]
            dict.__setitem__(feed, key, value if strict else canonical(value))
    add_details(feed)
    entries = []
    for raw in result.get("entries", []):
        entry = Entry()
        for key in ("id", "title", "link", "author", "summary"):
            if key in raw:
                dict.__setitem__(entry, key, raw[key] if strict else canonical(raw[key]))
        if "content" in raw:
            content = Content()
            dict.__setitem__(content, "value", raw["content"] if strict else canonical(raw["content"]))
            dict.__setitem__(entry, "content", [content])
            if "summary" not in raw:
                # feedparser copies a text/HTML content into summary when there is none; the
                # contract keeps them apart, so compare the content's value instead.
                dict.__setitem__(entry, "summary", dict.__getitem__(content, "value"))
        for key in ("published", "updated"):
            if key in raw:
                dict.__setitem__(entry, key + "_parsed", utc_tuple(raw[key]))
        add_details(entry)
        if "author" in raw:
            person = Person()
            dict.__setitem__(person, "name", dict.__getitem__(entry, "author"))
            dict.__setitem__(entry, "author_detail", person)
        entries.append(entry)
    env = Env()
    dict.__setitem__(env, "bozo", 0 if result.get("well_formed") else 1)
    dict.__setitem__(env, "version", Version(VERSIONS.get(result.get("format", ""), [result.get("format", "")])))
    dict.__setitem__(env, "feed", feed)
    dict.__setitem__(env, "channel", feed)
    dict.__setitem__(env, "entries", entries)
    dict.__setitem__(env, "items", entries)
    return env


def convert_to_utf8(data):
    """Same as feedparser's runtests.py: only used to read the comment header."""
    if data[:4] == b"\x4c\x6f\xa7\x94":  # "<?xm" in EBCDIC
        return data.decode("cp037").encode("utf-8")
    boms = [
        (b"\x00\x00\xfe\xff", "utf-32be", 0), (b"\xff\xfe\x00\x00", "utf-32le", 0),
        (b"\x00\x00\x00\x3c", "utf-32be", 0), (b"\x3c\x00\x00\x00", "utf-32le", 0),
        (b"\x00\x3c\x00\x3f", "utf-16be", 0), (b"\x3c\x00\x3f\x00", "utf-16le", 0),
    ]
    for bom, codec, _ in boms:
        if data[:4] == bom:
            return data.decode(codec).encode("utf-8")
    if data[:2] == b"\xfe\xff" and data[2:4] != b"\x00\x00":
        return data[2:].decode("utf-16be").encode("utf-8")
    if data[:2] == b"\xff\xfe" and data[2:4] != b"\x00\x00":
        return data[2:].decode("utf-16le").encode("utf-8")
    if data[:3] == b"\xef\xbb\xbf":
        return data[3:]
    return data


def run_one(sift, tests_root, path, strict=False, all_codecs=False):
    rel = os.path.relpath(path, os.path.dirname(tests_root))  # tests/...
    with open(path, "rb") as handle:
        raw = handle.read()
    data = convert_to_utf8(raw) if "encoding" in rel else raw
    skip = SKIP_RE.search(data)
    if skip and not all_codecs:
        try:
            if not eval(skip.group(1).strip().decode("utf-8"),  # noqa: S307
                        {"__builtins__": __builtins__, "feedparser": FEEDPARSER_FEATURES}):
                return rel, "na", "SkipUnless"
        except Exception:  # noqa: BLE001 - a missing module or codec skips the test, as in runtests.py
            return rel, "na", "SkipUnless"
    match = DESC_RE.search(data)
    if not match:
        return rel, "na", "no Expect header"
    description, expect = (s.strip().decode("utf-8") for s in match.groups())
    outside = uncovered(expect)
    if outside:
        return rel, "na", f"uses {outside}"
    args = [sift, "parse-feed"]
    if "http" in path:
        headers = {k.decode("utf-8").strip().lower(): v.decode("utf-8").strip()
                   for k, v in HEADER_RE.findall(raw)}
        url = HOST_PREFIX + rel.replace(os.sep, "/")
        if "content-location" in headers:
            from urllib.parse import urljoin, urlparse
            located = urljoin(url, headers["content-location"])
            # As feedparser (and any fetcher) does: a Content-Location that is not a web URL
            # (`javascript:…`) is no base; the request URL stays the document's URL.
            if urlparse(located).scheme in ("http", "https"):
                url = located
        args += ["--base-url", url]
        if "content-type" in headers:
            args += ["--content-type", headers["content-type"]]
        else:
            args += ["--content-type", "application/xml"]
    args.append(path)
    proc = subprocess.run(args, capture_output=True, timeout=60)
    if proc.returncode != 0:
        result = {"well_formed": False, "format": "unknown", "feed": {}, "entries": []}
        error = proc.stderr.decode("utf-8", "replace").strip()
    else:
        try:
            result = json.loads(proc.stdout)
        except ValueError as exc:
            return rel, "fail", f"invalid JSON output: {exc}"
        error = None
    env = to_env(result, strict)
    try:
        ok = eval(compile_expect(expect, strict), {"__builtins__": __builtins__}, env)  # noqa: S307
    except NotApplicable as exc:
        return rel, "na", f"uses {exc}"
    except (KeyError, IndexError, AttributeError, TypeError) as exc:
        ok = False
        detail = f"{type(exc).__name__}: {exc}"
    else:
        detail = ""
    if ok:
        return rel, "pass", ""
    summary = json.dumps(result, ensure_ascii=False)[:600]
    return rel, "fail", f"{description}\n      expect: {expect}\n      {detail}{' error: ' + error if error else ''}" \
        f"\n      got: {summary}"


def date_cases(tests_root):
    """feedparser's date-parser table (runtests.py `date_tests`): [(parser, string, 9-tuple or None)]."""
    try:
        with open(os.path.join(tests_root, "runtests.py"), encoding="utf-8") as handle:
            tree = ast.parse(handle.read())
    except (OSError, SyntaxError):
        return []
    cases = []
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "date_tests":
            for key, value in zip(node.value.keys, node.value.values):
                try:
                    items = ast.literal_eval(value)
                except ValueError:
                    continue
                cases += [(getattr(key, "id", "?"), text, expected) for text, expected in items]
    return cases


def run_dates(sift, tests_root):
    """Each date string as the pubDate of one RSS item; the parsed date must be the expected one."""
    from xml.sax.saxutils import escape
    import tempfile
    cases = date_cases(tests_root)
    if not cases:
        return []
    items = "".join(f'<item><guid isPermaLink="false">d{i}</guid><pubDate>{escape(text)}</pubDate></item>'
                    for i, (_, text, _) in enumerate(cases))
    document = f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>{items}</channel></rss>'
    with tempfile.NamedTemporaryFile("w", suffix=".xml", encoding="utf-8", delete=False) as handle:
        handle.write(document)
        path = handle.name
    try:
        proc = subprocess.run([sift, "parse-feed", path], capture_output=True, timeout=60)
    finally:
        os.unlink(path)
    parsed = {}
    if proc.returncode == 0:
        for entry in json.loads(proc.stdout).get("entries", []):
            if "published" in entry:
                parsed[entry["id"]] = utc_tuple(entry["published"])
    results = []
    for index, (parser, text, expected) in enumerate(cases):
        got = parsed.get(f"d{index}")
        rel = f"tests/runtests.py:date_tests/{parser}"
        if got == (tuple(expected) if expected else None):
            results.append((rel, "pass", ""))
        else:
            results.append((rel, "fail", f"date {text!r}\n      expect: {expected}\n      got: {got}"))
    return results


def cause_of(expect_line, result_text):
    """A coarse failure class, from the Expect expression."""
    text = expect_line
    if "_parsed" in text or text.startswith(("(", "None")):
        return "dates"
    if re.search(r"\bbozo\b", text) and not re.search(r"not bozo", text):
        return "bozo (expected ill-formed)"
    if "description" in text or "summary" in text:
        return "summary"
    if "content" in text:
        return "content"
    if "title" in text:
        return "title"
    if "link" in text:
        return "link"
    if "author" in text:
        return "author"
    if "id'" in text or ".id" in text or "guid" in text:
        return "id"
    if "version" in text:
        return "version"
    return "other"


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sift", required=True)
    parser.add_argument("--tests", required=True, help="feedparser's tests/ directory")
    parser.add_argument("--only", default="", help="only files whose path contains this")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--verbose", action="store_true", help="print every failure")
    parser.add_argument("--strict", action="store_true",
                        help="compare strings exactly (default: HTML-equivalent character references are equal)")
    parser.add_argument("--json", help="write per-file results to this JSON file")
    parser.add_argument("--all-codecs", action="store_true",
                        help="also run the cases whose SkipUnless line fails here (a codec or module this "
                             "Python lacks): Sift decodes with iconv, not Python's codecs")
    options = parser.parse_args()

    tests_root = os.path.abspath(options.tests)
    files = []
    # The same selection as feedparser's runtests.py (tests/http/ only serves its HTTP-status tests).
    for top in ("wellformed", "illformed", "encoding", "entities"):
        for dirpath, _, names in os.walk(os.path.join(tests_root, top)):
            files += [os.path.join(dirpath, n) for n in names if n.endswith(".xml") and options.only in
                      os.path.join(dirpath, n)]
    files.sort()
    with concurrent.futures.ThreadPoolExecutor(max_workers=options.jobs) as pool:
        results = list(pool.map(lambda p: run_one(options.sift, tests_root, p, options.strict, options.all_codecs),
                                files))
    if not options.only or options.only in "dates":
        results += run_dates(options.sift, tests_root)

    per_dir = collections.OrderedDict()
    causes = collections.defaultdict(list)
    for rel, status, detail in results:
        directory = os.path.dirname(rel)
        counts = per_dir.setdefault(directory, collections.Counter())
        counts[status] += 1
        if status == "fail":
            expect = detail.split("expect: ", 1)[-1].split("\n", 1)[0]
            causes[cause_of(expect, detail)].append((rel, detail))

    print(f"{'directory':34} {'pass':>5} {'fail':>5} {'n/a':>5} {'rate':>7}")
    total = collections.Counter()
    for directory, counts in sorted(per_dir.items()):
        total.update(counts)
        applicable = counts["pass"] + counts["fail"]
        rate = f"{100.0 * counts['pass'] / applicable:6.1f}%" if applicable else "     -"
        print(f"{directory:34} {counts['pass']:5} {counts['fail']:5} {counts['na']:5} {rate:>7}")
    applicable = total["pass"] + total["fail"]
    rate = f"{100.0 * total['pass'] / applicable:6.1f}%" if applicable else "     -"
    print(f"{'TOTAL':34} {total['pass']:5} {total['fail']:5} {total['na']:5} {rate:>7}")
    print()
    for cause, items in sorted(causes.items(), key=lambda kv: -len(kv[1])):
        print(f"== {cause}: {len(items)} failures")
        for rel, detail in (items if options.verbose else items[:5]):
            print(f"  {rel}: {detail}")
        if not options.verbose and len(items) > 5:
            print(f"  ... {len(items) - 5} more (--verbose)")
    if options.json:
        with open(options.json, "w", encoding="utf-8") as handle:
            json.dump([{"file": r, "status": s, "detail": d} for r, s, d in results], handle, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
