#!/usr/bin/python3
"""tests/bench/pdf-size.py PKG...: the installed size of each package and
what it needs at run time (Depends and Pre-Depends, recursively), as
dpkg records them on this machine, beyond a minimal Debian system (the
packages of Priority required and important and what they need).
Each OR group and virtual package is resolved to the first installed
package that satisfies it.  Prints "PKG packages MiB MiB_own" a line,
MiB_own being the part no other PKG on the command line needs.
Run by tests/bench/pdf.sh for docs/pdf-rendering.md."""
import re
import sys


def load():
    """Read dpkg's status: {name: (size KiB, [[alternative, ...], ...], priority)}
    and {virtual or real name: [providing packages]}, installed ones only."""
    pkgs, provides = {}, {}
    for st in open('/var/lib/dpkg/status', encoding='utf-8').read().split('\n\n'):
        f = {}
        key = None
        for line in st.split('\n'):
            if line[:1] in (' ', '\t') and key:
                f[key] += ' ' + line.strip()
            elif ':' in line:
                key, _, val = line.partition(':')
                f[key] = val.strip()
        if 'install ok installed' not in f.get('Status', ''):
            continue
        name = f['Package']
        deps = []
        for field in ('Pre-Depends', 'Depends'):
            for group in filter(None, (g.strip() for g in f.get(field, '').split(','))):
                deps.append([re.sub(r'[\s(:].*', '', a.strip()) for a in group.split('|')])
        pkgs[name] = (int(f.get('Installed-Size', '0')), deps, f.get('Priority', ''))
        provides.setdefault(name, []).append(name)
        for p in filter(None, (p.strip() for p in f.get('Provides', '').split(','))):
            provides.setdefault(re.sub(r'[\s(:].*', '', p), []).append(name)
    return pkgs, provides


def closure(roots, pkgs, provides):
    """The set of installed packages ROOTS need, ROOTS included."""
    seen, todo = set(), list(roots)
    while todo:
        n = todo.pop()
        if n in seen or n not in pkgs:
            continue
        seen.add(n)
        for group in pkgs[n][1]:
            for alt in group:
                if provides.get(alt):
                    todo.append(provides[alt][0])
                    break
    return seen


def main():
    """Print one line a package named on the command line."""
    pkgs, provides = load()
    base = closure([n for n, v in pkgs.items() if v[2] in ('required', 'important')], pkgs, provides)
    sets = {r: closure([r], pkgs, provides) - base for r in sys.argv[1:]}
    for r, s in sets.items():
        others = set().union(*[o for k, o in sets.items() if k != r])
        mib = sum(pkgs[n][0] for n in s) / 1024
        own = sum(pkgs[n][0] for n in s - others) / 1024
        print(f'{r:<11} {len(s):>9} {mib:>12.0f} {own:>12.0f}')


main()
