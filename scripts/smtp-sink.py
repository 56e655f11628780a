"""A real SMTP server on loopback for the tests (aiosmtpd): every message it accepts is written,
as received, to DIR/<time>-<pid>.eml (complete when its name appears). It prints one line once it
listens, and stops when its standard input closes (the test that started it is gone).

    smtp-sink.py PORT DIR
"""
import os
import sys
import time

from aiosmtpd.controller import Controller


class KeepMessages:
    def __init__(self, directory):
        self.directory = directory

    async def handle_DATA(self, server, session, envelope):
        name = f"{time.time_ns():020d}-{os.getpid()}"
        partial = os.path.join(self.directory, f".{name}.part")
        with open(partial, "wb") as file:
            file.write(envelope.original_content or envelope.content)
        os.rename(partial, os.path.join(self.directory, f"{name}.eml"))
        return "250 Message accepted"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(KeepMessages(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"smtp-sink listening on 127.0.0.1:{port}", flush=True)
    try:
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
