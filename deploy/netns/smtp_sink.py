"""The cluster's mail relay (deploy/netns, issue 41): a minimal SMTP server on the data host that keeps
every message it accepted, one line each in ``<dir>/smtp-accepted`` (the peer's address, then the
Subject header), written when it answers 250 to the message's end.

A test holds the next connections: ``<dir>/smtp-hold`` holds a number of seconds the server waits before
its greeting (read on each connection), so that a sender is killed between its claim and SMTP.

    python -m deploy.netns.smtp_sink ADDRESS PORT DIR
"""

import socketserver
import sys
import threading
import time
from pathlib import Path

LOCK = threading.Lock()


class Handler(socketserver.StreamRequestHandler):
    timeout = 120

    def reply(self, line):
        self.wfile.write(line.encode() + b"\r\n")
        self.wfile.flush()

    def handle(self):
        folder, peer = self.server.folder, self.client_address[0]
        with LOCK, open(folder / "smtp-connections", "a") as log:
            log.write(f"{peer}\n")
        try:
            hold = float((folder / "smtp-hold").read_text() or 0)
        except (OSError, ValueError):
            hold = 0
        time.sleep(hold)
        self.reply("220 cluster sink")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode(errors="replace").strip().upper()
            if command.startswith("DATA"):
                self.reply("354 go on")
                subject = ""
                while True:
                    body = self.rfile.readline()
                    if not body:
                        return  # the sender went away before the end: nothing accepted
                    if body in (b".\r\n", b".\n"):
                        break
                    if not subject and body.lower().startswith(b"subject:"):
                        subject = body.decode(errors="replace").split(":", 1)[1].strip()
                with LOCK, open(folder / "smtp-accepted", "a") as log:
                    log.write(f"{peer}\t{subject}\n")
                self.reply("250 accepted")
            elif command.startswith("QUIT"):
                self.reply("221 bye")
                return
            elif command.startswith(("EHLO", "HELO", "MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 ok")
            else:
                self.reply("502 not here")


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


def main(address, port, folder):
    server = Server((address, int(port)), Handler)
    server.folder = Path(folder)
    server.serve_forever()


if __name__ == "__main__":
    main(*sys.argv[1:4])
