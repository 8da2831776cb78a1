#!/usr/bin/python3
"""HTTP NTLM/Negotiate client whose tokens come from Samba's ntlm_auth helper (no DC needed).

usage: ntlm_auth_peer.py URL {ntlmssp-client-1|gss-spnego-client} DOMAIN USER PASSWORD [OPTION...]

ntlmssp-client-1 gives raw NTLMSSP (the "NTLM" scheme), gss-spnego-client Samba's own SPNEGO
("Negotiate"). One keep-alive connection, bounded rounds; prints each exchange and a last line
"status=NNN"; exits 0 only on 200. OPTIONs go to ntlm_auth as --option=OPTION (for example
"client ntlmv2 auth = no" for NTLMv1 with extended session security).

NTLM_AUTH_PEER_HELPER, when set, is another program speaking the same line protocol (with its
arguments, split on blanks), run instead of ntlm_auth: it gets its credentials its own way, and
DOMAIN, USER, PASSWORD and the OPTIONs are not passed to it (tests/e2e/heimdal_client)."""
import base64
import http.client
import os
import shlex
import subprocess
import sys
import urllib.parse

MAX_ROUNDS = 4


class Helper:
    """One ntlm_auth process speaking the squid-style line protocol."""

    def __init__(self, proto, domain, user, password, options):
        command = shlex.split(os.environ.get('NTLM_AUTH_PEER_HELPER', ''))
        if not command:
            command = (['ntlm_auth', '--helper-protocol=' + proto, '--username=' + user,
                        '--password=' + password, '--domain=' + domain] +
                       ['--option=' + option for option in options])
        self.proc = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     text=True, bufsize=1)

    def talk(self, line):
        self.proc.stdin.write(line + '\n')
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline().rstrip('\n')
        print('  helper << %.70s' % line)
        print('  helper >> %.70s' % answer)
        return answer

    def close(self):
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def token_of(answer):
    """The base64 token of a "YR/KK/AF <token>" helper answer, or None."""
    verb, _, token = answer.partition(' ')
    return token if verb in ('YR', 'KK', 'AF') and token else None


def main():
    if len(sys.argv) < 6:
        sys.exit(__doc__)
    url, proto, domain, user, password = sys.argv[1:6]
    options = sys.argv[6:]
    scheme = 'NTLM' if proto == 'ntlmssp-client-1' else 'Negotiate'
    u = urllib.parse.urlsplit(url)
    target = u.path + ('?' + u.query if u.query else '')
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=10)
    helper = Helper(proto, domain, user, password, options)
    verified = True

    def get(auth=None):
        conn.request('GET', target, headers={'Authorization': auth} if auth else {})
        r = conn.getresponse()
        body = r.read(64 * 1024)
        print('HTTP %d | sent: %.50s | WWW-Authenticate: %.60s | X-GSS-Name: %s' % (
            r.status, auth or '', ', '.join(r.headers.get_all('WWW-Authenticate') or []),
            r.getheader('X-GSS-Name')))
        return r, body

    try:
        r, body = get()
        token = token_of(helper.talk('YR'))
        for _ in range(MAX_ROUNDS):
            if token is None or r.status != 401:
                break
            r, body = get(scheme + ' ' + token)
            if r.status != 401:
                break
            offers = [h.split(' ', 1)[1] for h in r.headers.get_all('WWW-Authenticate') or []
                      if h.startswith(scheme + ' ')]
            token = token_of(helper.talk('TT ' + offers[0])) if offers else None
        final = r.getheader('WWW-Authenticate', '')
        if r.status == 200 and final.startswith('Negotiate '):
            # SPNEGO: the server's accept-completed token carries its mechListMIC, which
            # Samba checks; anything but "AF" means it did not verify.
            if not helper.talk('TT ' + final.split(' ', 1)[1]).startswith('AF'):
                print('ntlm_auth rejected the server\'s final SPNEGO token')
                verified = False
    finally:
        helper.close()
        conn.close()
    print('body: %.60r' % body)
    print('status=%d' % r.status)
    return 0 if r.status == 200 and verified else 1


if __name__ == '__main__':
    sys.exit(main())
