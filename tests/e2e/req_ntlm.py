#!/usr/bin/python3
"""HTTP client on python3-requests-ntlm / python3-ntlm-auth (pure Python, raw "NTLM" scheme).

usage: req_ntlm.py URL 'DOMAIN\\user' PASSWORD

Prints each round trip and a last line "status=NNN"; exits 0 only on 200. ntlm-auth computes
MD4 through hashlib, so OpenSSL 3 needs its legacy provider (OPENSSL_CONF)."""
import sys

import requests
from requests_ntlm import HttpNtlmAuth


def main():
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    url, user, password = sys.argv[1:4]
    with requests.Session() as session:
        r = session.get(url, auth=HttpNtlmAuth(user, password), timeout=10)
    for h in r.history + [r]:
        print('HTTP %d | sent: %.60s | WWW-Authenticate: %.60s | X-GSS-Name: %s' % (
            h.status_code, h.request.headers.get('Authorization', ''),
            h.headers.get('WWW-Authenticate', ''), h.headers.get('X-GSS-Name')))
    print('body: %.60r' % r.text)
    print('status=%d' % r.status_code)
    return 0 if r.status_code == 200 else 1


if __name__ == '__main__':
    sys.exit(main())
