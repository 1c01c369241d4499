#!/usr/bin/env python3
"""A fault-injecting HTTP proxy for the S3 tests (Tests/S3StoreTests/S3FaultProxyTests.swift).

It forwards each request unchanged (method, target, every header including Host, body) to the
real S3 server, so SigV4 signatures still verify there, and injects faults:

  --slowdown-requests N  answer the first N matching requests with 503 SlowDown (an S3 XML error)
  --slowdown-seconds S   answer every matching request with 503 SlowDown for S seconds from the first
  --slowdown-match TEXT  only requests whose target contains TEXT count as matching (default: all)
  --forbid-match TEXT    answer requests whose target contains TEXT with 403 AccessDenied
  --drop-complete N      forward the first N CompleteMultipartUpload requests, then close the
                         connection without answering (a response lost on the way back)
  --lose-complete N      close the connection of the first N CompleteMultipartUpload requests
                         without forwarding them (a request lost on the way there)
  --forget-completed     answer a CompleteMultipartUpload of an upload completed before with 404
                         NoSuchUpload, as S3 does (SeaweedFS answers 200 again)

Writes "listening <port>" once ready, then one line per request: "<method> <target> <status>",
the status being "dropped" for a lost answer. Stops on SIGTERM.
"""
import argparse
import http.client
import http.server
import signal
import sys
import threading
import time

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade", "expect"}


def error_body(code, message):
    return (f'<?xml version="1.0" encoding="UTF-8"?><Error><Code>{code}</Code><Message>{message}</Message>'
            f"<RequestId>fault-proxy</RequestId></Error>").encode()


class Faults:
    def __init__(self, args):
        self.args = args
        self.started = None
        self.lock = threading.Lock()
        self.slowed = 0
        self.dropped = 0
        self.lost = 0
        self.completed = set()

    def slowdown(self, target):
        if self.args.slowdown_match and self.args.slowdown_match not in target:
            return False
        with self.lock:
            if self.slowed < self.args.slowdown_requests:
                self.slowed += 1
                return True
            if self.started is None:
                self.started = time.monotonic()
            return time.monotonic() - self.started < self.args.slowdown_seconds

    @staticmethod
    def is_complete(method, target):
        return method == "POST" and "uploadId=" in target

    def drop(self, method, target):
        if not self.is_complete(method, target):
            return False
        with self.lock:
            if self.dropped < self.args.drop_complete:
                self.dropped += 1
                return True
        return False

    def lose(self, method, target):
        """Whether to lose this request (a lost CompleteMultipartUpload still counts as sent)."""
        if not self.is_complete(method, target):
            return False
        with self.lock:
            if self.lost < self.args.lose_complete:
                self.lost += 1
                self.completed.add(target)
                return True
        return False

    def forgotten(self, method, target):
        """Whether this completes an upload completed before (and, if not, remembers it)."""
        if not self.args.forget_completed or not self.is_complete(method, target):
            return False
        with self.lock:
            if target in self.completed:
                return True
            self.completed.add(target)
        return False


def make_handler(args, faults):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *_):
            pass

        def record(self, status):
            print(f"{self.command} {self.path} {status}", flush=True)

        def body(self):
            length = int(self.headers.get("Content-Length") or 0)
            return self.rfile.read(length) if length else b""

        def answer(self, status, reason, headers, body, head_only=False):
            # Logged before the answer leaves, so a client that has it finds the line.
            self.record(status)
            self.send_response_only(status, reason)
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            if not head_only:
                self.wfile.write(body)

        def error(self, status, reason, code):
            body = error_body(code, reason)
            headers = [("Content-Type", "application/xml"), ("Content-Length", str(len(body)))]
            self.answer(status, reason, headers, body, head_only=self.command == "HEAD")

        def forward(self):
            request_body = self.body()
            if args.forbid_match and args.forbid_match in self.path:
                return self.error(403, "Forbidden", "AccessDenied")
            if faults.slowdown(self.path):
                return self.error(503, "Slow Down", "SlowDown")
            if faults.lose(self.command, self.path):
                self.close_connection = True
                return self.record("lost")
            if faults.forgotten(self.command, self.path):
                return self.error(404, "Not Found", "NoSuchUpload")
            upstream = http.client.HTTPConnection(args.upstream_host, args.upstream_port, timeout=60)
            upstream.putrequest(self.command, self.path, skip_host=True, skip_accept_encoding=True)
            for name, value in self.headers.items():
                if name.lower() not in HOP_BY_HOP:
                    upstream.putheader(name, value)
            upstream.endheaders(request_body if request_body else None)
            response = upstream.getresponse()
            body = response.read()
            headers = [(n, v) for n, v in response.getheaders() if n.lower() not in HOP_BY_HOP | {"content-length"}]
            head_only = self.command == "HEAD"
            length = response.getheader("Content-Length") if head_only else str(len(body))
            if length is not None:
                headers.append(("Content-Length", length))
            upstream.close()
            if faults.drop(self.command, self.path):
                self.close_connection = True
                self.record("dropped")
                return
            self.answer(response.status, response.reason, headers, body, head_only=head_only)

        do_GET = do_PUT = do_POST = do_DELETE = do_HEAD = forward

    return Handler


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--upstream", required=True, help="host:port of the S3 server")
    parser.add_argument("--slowdown-requests", type=int, default=0)
    parser.add_argument("--slowdown-seconds", type=float, default=0)
    parser.add_argument("--slowdown-match", default="")
    parser.add_argument("--forbid-match", default="")
    parser.add_argument("--drop-complete", type=int, default=0)
    parser.add_argument("--lose-complete", type=int, default=0)
    parser.add_argument("--forget-completed", action="store_true")
    args = parser.parse_args()
    # The test process may spawn us from a thread that blocks signals: take SIGTERM.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    host, _, port = args.upstream.rpartition(":")
    args.upstream_host, args.upstream_port = host, int(port)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(args, Faults(args)))
    server.daemon_threads = True
    print(f"listening {server.server_address[1]}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
