#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""One call of Zabbix's JSON-RPC API: zabbix-api.py URL METHOD [PARAMS-JSON [EXPR]].

Prints the call's "result" as JSON (one line), or, given EXPR, what the
Python expression EXPR makes of it (r: the result; a list is printed one
element a line), and exits 0; or prints the "error" and exits 1.  The session token is read from $ZBX_TOKEN; without it
METHOD is called unauthenticated (user.login, apiinfo.version).
"""
import json
import os
import sys
import urllib.request


def call(url, method, params):
    body = {"jsonrpc": "2.0", "method": method, "params": params, "id": 1}
    token = os.environ.get("ZBX_TOKEN")
    if token and method not in ("user.login", "apiinfo.version"):
        body["auth"] = token
    req = urllib.request.Request(url + "/api_jsonrpc.php", json.dumps(body).encode(),
                                 {"Content-Type": "application/json-rpc"})
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.load(r)


def main():
    url, method = sys.argv[1], sys.argv[2]
    params = json.loads(sys.argv[3]) if len(sys.argv) > 3 else {}
    answer = call(url, method, params)
    if "error" in answer:
        print(json.dumps(answer["error"]))
        return 1
    r = answer["result"]
    if len(sys.argv) > 4:
        out = eval(sys.argv[4], {"r": r, "json": json})
        for line in out if isinstance(out, list) else [out]:
            print(line)
    else:
        print(json.dumps(r))
    return 0


if __name__ == "__main__":
    sys.exit(main())
