#!/usr/bin/python3
"""A user who mistypes the password, then types it right, on ONE keep-alive connection, as
browsers do: NTLM over python3-ntlm-auth, raw "NTLM" scheme.

usage: ntlm_retry.py URL 'DOMAIN\\user' WRONG_PASSWORD RIGHT_PASSWORD

mod_auth_gssapi keeps the context of a failed attempt on the connection, so the second
NEGOTIATE reaches that context. Prints each round trip with the client's local port, then
"connection=same" when every request went over the first socket, and a last line
"status=NNN"; exits 0 only on a 200 over the same connection. ntlm-auth computes MD4 through
hashlib, so OpenSSL 3 needs its legacy provider (OPENSSL_CONF)."""
import base64
import http.client
import sys
import urllib.parse

from ntlm_auth.ntlm import NtlmContext


def main():
    if len(sys.argv) != 5:
        sys.exit(__doc__)
    url, user, wrong, right = sys.argv[1:5]
    domain, _, name = user.rpartition('\\')
    u = urllib.parse.urlsplit(url)
    path = u.path + ('?' + u.query if u.query else '')
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    conn.connect()
    first_socket = conn.sock
    port = first_socket.getsockname()[1]
    same = True

    def get(token=None):
        nonlocal same
        headers = {'Authorization': 'NTLM ' + base64.b64encode(token).decode()} if token else {}
        conn.request('GET', path, headers=headers)
        r = conn.getresponse()
        r.read()
        # http.client opens a new socket by itself if the server closed the old one.
        same = same and conn.sock is first_socket and conn.sock.getsockname()[1] == port
        print('HTTP %d | local port %s | WWW-Authenticate: %.50s | X-GSS-Name: %s' % (
            r.status, conn.sock.getsockname()[1] if conn.sock else '-',
            r.getheader('WWW-Authenticate', ''), r.getheader('X-GSS-Name')))
        return r

    def attempt(password):
        ctx = NtlmContext(name, password, domain=domain, workstation='RETRYWS')
        r = get(ctx.step())
        challenge = [h.split(' ', 1)[1] for h in r.headers.get_all('WWW-Authenticate') or []
                     if h.startswith('NTLM ')]
        if r.status != 401 or not challenge:
            return r
        return get(ctx.step(base64.b64decode(challenge[0])))

    first = attempt(wrong)
    print('wrong password: %d' % first.status)
    r = attempt(right)
    print('right password: %d' % r.status)
    conn.close()
    print('connection=%s (local port %d)' % ('same' if same else 'changed', port))
    print('status=%d' % r.status)
    return 0 if first.status == 401 and r.status == 200 and same else 1


if __name__ == '__main__':
    sys.exit(main())
