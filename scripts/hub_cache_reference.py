"""Records the cache layout that huggingface_hub itself writes, as a fixture for HubCacheLayoutTest.

A loopback server speaks the hub's resolve protocol for one small repo (HEAD/GET
/{repo}/resolve/{revision}/{path}; LFS files answer 302 to a CDN host with X-Linked-Etag and
X-Linked-Size; missing files answer 404 EntryNotFound with X-Repo-Commit). huggingface_hub's
hf_hub_download fetches a fixed list of (revision, file) pairs into an empty cache, and the script
writes the repo definition, the calls and the resulting tree of models--{org}--{name} to JSON.
The Java test serves the same repo, makes the same calls through HubClient and compares trees.

Run: $(/work/shared/tools/pyenv.sh)/bin/python scripts/hub_cache_reference.py \
       src/test/resources/dev/lopper/model/hub/hf_cache_layout.json
"""

import base64
import hashlib
import json
import os
import sys
import tempfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

REPO = "tiny-org/tiny-model"
COMMIT = "0123456789abcdef0123456789abcdef01234567"
REVISIONS = {"main": COMMIT, "v1.0": COMMIT, COMMIT: COMMIT}


def _weights():
  out, block = bytearray(), b"lopper"
  while len(out) < 5000:
    block = hashlib.sha256(block).digest()
    out += block
  return bytes(out[:5000])


FILES = {
    "config.json": (b'{"model_type": "gpt2", "n_embd": 8}\n', False),
    "model.safetensors": (_weights(), True),
    "tokenizer.json": (b'{"version": "1.0"}\n', False),
    "nested/dir/notes.txt": (b"nested file\n", False),
}

# (revision, filename) in call order; generation_config.json does not exist in the repo.
CALLS = [
    ("main", "config.json"),
    ("main", "model.safetensors"),
    ("main", "nested/dir/notes.txt"),
    ("main", "generation_config.json"),
    ("v1.0", "tokenizer.json"),
    (COMMIT, "config.json"),
]


def git_blob_sha1(data):
  return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


class Hub(BaseHTTPRequestHandler):
  def log_message(self, *args):
    pass

  def do_HEAD(self):
    self._serve(body=False)

  def do_GET(self):
    self._serve(body=True)

  def _serve(self, body):
    path = self.path
    if path.startswith("/cdn/"):
      sha = path[len("/cdn/"):]
      data = next(d for d, _ in FILES.values() if hashlib.sha256(d).hexdigest() == sha)
      self.send_response(200)
      self.send_header("Content-Length", str(len(data)))
      self.send_header("ETag", '"%s"' % sha)
      self.end_headers()
      if body:
        self.wfile.write(data)
      return
    repo, _, rest = path.lstrip("/").partition("/resolve/")
    revision, _, name = rest.partition("/")
    revision, name = unquote(revision), unquote(name)
    if repo != REPO:
      return self._error(401, "RepoNotFound", None)
    commit = REVISIONS.get(revision)
    if commit is None:
      return self._error(404, "RevisionNotFound", None)
    if name not in FILES:
      return self._error(404, "EntryNotFound", commit)
    data, lfs = FILES[name]
    if lfs:
      sha = hashlib.sha256(data).hexdigest()
      host = self.headers["Host"].replace("127.0.0.1", "localhost")
      self.send_response(302)
      self.send_header("Location", "http://%s/cdn/%s" % (host, sha))
      self.send_header("X-Repo-Commit", commit)
      self.send_header("X-Linked-Etag", '"%s"' % sha)
      self.send_header("X-Linked-Size", str(len(data)))
      self.send_header("ETag", '"%s"' % git_blob_sha1(b"pointer " + sha.encode()))
      self.send_header("Content-Length", "0")
      self.end_headers()
      return
    self.send_response(200)
    self.send_header("X-Repo-Commit", commit)
    self.send_header("ETag", '"%s"' % git_blob_sha1(data))
    self.send_header("Content-Length", str(len(data)))
    self.end_headers()
    if body:
      self.wfile.write(data)

  def _error(self, status, code, commit):
    self.send_response(status)
    self.send_header("X-Error-Code", code)
    if commit:
      self.send_header("X-Repo-Commit", commit)
    self.send_header("Content-Length", "0")
    self.end_headers()


def tree(root):
  """Every entry under root, sorted: kind, symlink target, sha256 and size of regular files."""
  entries = []
  for folder, dirs, files in os.walk(root):
    for name in sorted(dirs + files):
      full = os.path.join(folder, name)
      rel = os.path.relpath(full, root).replace(os.sep, "/")
      if os.path.islink(full):
        entries.append({"path": rel, "kind": "symlink", "target": os.readlink(full)})
      elif os.path.isdir(full):
        entries.append({"path": rel, "kind": "dir"})
      else:
        with open(full, "rb") as f:
          data = f.read()
        entries.append({"path": rel, "kind": "file", "size": len(data),
                        "sha256": hashlib.sha256(data).hexdigest()})
  return sorted(entries, key=lambda e: e["path"])


def main(out_path):
  server = ThreadingHTTPServer(("127.0.0.1", 0), Hub)
  threading.Thread(target=server.serve_forever, daemon=True).start()
  endpoint = "http://127.0.0.1:%d" % server.server_address[1]
  with tempfile.TemporaryDirectory() as cache:
    os.environ["HF_ENDPOINT"] = endpoint
    os.environ["HF_HUB_CACHE"] = cache
    os.environ["HF_HUB_DISABLE_TELEMETRY"] = "1"
    import huggingface_hub
    from huggingface_hub import hf_hub_download
    from huggingface_hub.errors import EntryNotFoundError

    for revision, name in CALLS:
      try:
        hf_hub_download(REPO, name, revision=revision, cache_dir=cache)
      except EntryNotFoundError:
        pass
    folder = os.path.join(cache, "models--" + REPO.replace("/", "--"))
    result = {
        "generator": "scripts/hub_cache_reference.py with huggingface_hub " + huggingface_hub.__version__,
        "repo": REPO,
        "commit": COMMIT,
        "revisions": sorted(r for r in REVISIONS if r != COMMIT),
        "files": [{"path": p, "lfs": lfs, "base64": base64.b64encode(d).decode()}
                  for p, (d, lfs) in FILES.items()],
        "calls": [{"revision": r, "path": p} for r, p in CALLS],
        "tree": tree(folder),
    }
  server.shutdown()
  with open(out_path, "w") as f:
    json.dump(result, f, indent=1)
    f.write("\n")


if __name__ == "__main__":
  main(sys.argv[1])
