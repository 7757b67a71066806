#!/usr/bin/env python3
"""A time-stamp authority for the tests (RFC 3161 over HTTP): OpenSSL's `openssl ts -reply`
answers each request, behind a small HTTP server.

    scripts/tsa.py DIR PORT

makes, on first start, a CA and a time-stamping certificate in DIR (`ca.pem` is the root to
trust), then answers POST / (application/timestamp-query) on 127.0.0.1:PORT with
application/timestamp-reply, until it is stopped. It prints "ready" when it listens."""
import http.server
import pathlib
import subprocess
import sys
import tempfile

root = pathlib.Path(sys.argv[1])
port = int(sys.argv[2])
root.mkdir(parents=True, exist_ok=True)


def openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True, cwd=root)


CONFIG = """
[ tsa ]
default_tsa = tsa_config
[ tsa_config ]
dir = .
serial = ./serial
crypto_device = builtin
signer_cert = ./tsa.pem
certs = ./ca.pem
signer_key = ./tsa.key
signer_digest = sha256
default_policy = 1.3.6.1.4.1.99999.1
other_policies = 1.3.6.1.4.1.99999.2
digests = sha256, sha384, sha512
accuracy = secs:1
ordering = no
tsa_name = no
ess_cert_id_chain = no
ess_cert_id_alg = sha256
[ tsa_ext ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = critical, timeStamping
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
"""

if not (root / "tsa.pem").exists():
    (root / "tsa.cnf").write_text(CONFIG)
    (root / "serial").write_text("01\n")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key")
    openssl("req", "-new", "-x509", "-key", "ca.key", "-out", "ca.pem", "-days", "3650",
            "-subj", "/CN=certportal test TSA root/O=certportal tests",
            "-addext", "basicConstraints=critical,CA:TRUE",
            "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    openssl("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "tsa.key")
    openssl("req", "-new", "-key", "tsa.key", "-out", "tsa.csr",
            "-subj", "/CN=certportal test TSA/O=certportal tests")
    openssl("x509", "-req", "-in", "tsa.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
            "-CAcreateserial", "-out", "tsa.pem", "-days", "3650",
            "-extfile", "tsa.cnf", "-extensions", "tsa_ext")


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        query = self.rfile.read(min(length, 1 << 16))
        with tempfile.TemporaryDirectory() as tmp:
            q, r = pathlib.Path(tmp) / "q.tsq", pathlib.Path(tmp) / "r.tsr"
            q.write_bytes(query)
            done = subprocess.run(
                ["openssl", "ts", "-reply", "-config", "tsa.cnf", "-queryfile", str(q),
                 "-out", str(r)],
                cwd=root, capture_output=True)
            if done.returncode != 0 or not r.exists():
                self.send_response(400)
                self.end_headers()
                self.wfile.write(done.stderr)
                return
            reply = r.read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "application/timestamp-reply")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", port), Handler)
print("ready", flush=True)
server.serve_forever()
