#!/usr/bin/env python3
"""Aborted and trickled multipart uploads against a running Intake, for a buffer-leak check.

Start Intake with Netty's leak detector at its strictest, then run this and look for leaks:

  ./mvnw -pl local -am spring-boot:run \
      -Dspring-boot.run.jvmArguments="-Dio.netty.leakDetection.level=paranoid" > run.log 2>&1 &
  python3 bench/scripts/aborted-uploads.py some-image.png
  grep -c 'LEAK:' run.log; grep -c 'IllegalReferenceCount' run.log

INTAKE_PORT (default 8080) names the api's port, for an Intake started with other ports
(docs/running.md). It sends a whole upload, 60 uploads whose client goes away mid-body (files and ZIP parts), another
whole upload, and 4 uploads trickled below the minimum body rate until the server answers 408. Then the same for
the single-file upload of the compatible APIs (the nursery API's /image_upload, its credential sent before the file
and after it, a field after the file): 24 cut off mid-body, and 24 more while a slow batch upload holds an upload
slot (start Intake with INTAKE_UPLOAD_MAX_CONCURRENT_UPLOADS=1 for those to wait for one), each followed by whole
uploads.
Leak reports appear when the collector finds an unreleased buffer, so run it a few times or
force a collection (jcmd <pid> GC.run) and send one more request.
"""
import os
import socket
import sys
import threading
import time

HOST, TOKEN = "127.0.0.1", "local-dev-token"
PORT = int(os.environ.get("INTAKE_PORT", "8080"))
png = open(sys.argv[1], "rb").read()

def head(body_len, boundary="b"):
    return (f"POST /v1/batch-upload/submit-with-files HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\n"
            f"Content-Type: multipart/form-data; boundary={boundary}\r\nContent-Length: {body_len}\r\n\r\n").encode()

def part(name, filename, data):
    return (f"--b\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{filename}\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode() + data + b"\r\n"

def aborted(n_files, cut_fraction, filename="a.png"):
    body = b"".join(part("files", f"{i}-{filename}", png) for i in range(n_files)) + b"--b--\r\n"
    s = socket.create_connection((HOST, PORT))
    s.sendall(head(len(body)))
    cut = int(len(body) * cut_fraction)
    for at in range(0, cut, 16384):
        s.sendall(body[at:min(cut, at + 16384)])
    time.sleep(0.05)
    s.close()  # client goes away mid-body

def complete(n_files):
    body = b"".join(part("files", f"{i}.png", png) for i in range(n_files)) + b"--b--\r\n"
    s = socket.create_connection((HOST, PORT))
    s.sendall(head(len(body)) + body)
    s.settimeout(60)
    data = s.recv(65536)
    s.close()
    return data.split(b"\r\n", 1)[0]

print("complete:", complete(5))
for i in range(30):
    aborted(8, 0.3 + (i % 5) * 0.1)
    aborted(3, 0.5, "set.zip")
print("aborted 60 uploads")
print("complete:", complete(5))

def trickle():
    body = part("files", "slow.png", png) + b"--b--\r\n"
    s = socket.create_connection((HOST, PORT))
    s.sendall(head(len(body)))
    s.sendall(body[:20000])  # a good start, then a trickle under the minimum body rate
    s.settimeout(1)
    start = time.time()
    at = 20000
    answer = b""
    while time.time() - start < 50:
        try:
            s.sendall(body[at:at + 10]); at += 10
        except OSError:
            break
        try:
            got = s.recv(65536)
            if got:
                answer += got
                break
        except socket.timeout:
            pass
    s.close()
    print("trickle answered:", answer.split(b"\r\n", 1)[0], "after", round(time.time() - start), "s")

threads = [threading.Thread(target=trickle) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()

def field(name, value):
    return f"--b\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n".encode()

def single(body, cut=None):
    """A nursery upload; cut: the fraction sent before the client goes away, else the answer's status line."""
    s = socket.create_connection((HOST, PORT))
    s.sendall((f"POST /image_upload HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
               f"Content-Length: {len(body)}\r\n\r\n").encode())
    end = len(body) if cut is None else int(len(body) * cut)
    for at in range(0, end, 16384):
        s.sendall(body[at:min(end, at + 16384)])
    if cut is not None:
        time.sleep(0.2)
        s.close()
        return None
    s.settimeout(60)
    data = s.recv(65536)
    s.close()
    return data.split(b"\r\n", 1)[0]

def hold_slot(seconds):
    """A batch upload sent slowly (above the minimum body rate), holding an upload slot meanwhile."""
    body = part("files", "held.png", png) + b"--b--\r\n"
    s = socket.create_connection((HOST, PORT))
    s.sendall(head(len(body)))
    start, at = time.time(), 0
    while at < len(body) and time.time() - start < seconds:
        s.sendall(body[at:at + 4096])
        at += 4096
        time.sleep(0.5)
    s.close()

credential_first = field("JWT_code", TOKEN) + part("file", "a.png", png) + field("extra", "x" * 5000) + b"--b--\r\n"
credential_after = part("file", "a.png", png) + field("JWT_code", TOKEN) + field("extra", "y" * 5000) + b"--b--\r\n"
print("single file, credential first:", single(credential_first), "after:", single(credential_after))
for i in range(12):
    single(credential_first, 0.2 + (i % 8) * 0.1)
    single(credential_after, 0.2 + (i % 8) * 0.1)
holder = threading.Thread(target=hold_slot, args=(40,))
holder.start()
time.sleep(1)
for i in range(12):
    single(credential_first, 0.5 + (i % 5) * 0.1)
    single(credential_after, 0.5 + (i % 5) * 0.1)
holder.join()
print("aborted 48 single-file uploads, 24 while a slot was held")
print("single file, credential first:", single(credential_first), "after:", single(credential_after))
