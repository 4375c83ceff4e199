#!/usr/bin/env python3
"""CPU-seconds per thread group of a running JVM between two moments, from /proc/<pid>/task/*/stat.

    thread-cpu.py snap PID FILE          # write the counts of now to FILE
    thread-cpu.py diff FILE1 FILE2 N     # CPU per group between them, and per image for N images

Thread names have their digits folded ("intake-decode-3" -> "intake-decode-N"); Linux keeps the
first 15 characters of a name. Cheaper and steadier than sampling profilers on a busy machine, and
it starts no recording (a flight recording started mid-run makes the JIT compile again).
"""
import collections
import json
import os
import re
import sys

CLOCK_TICKS = os.sysconf('SC_CLK_TCK')


def snap(pid):
    counts = collections.Counter()
    for task in os.listdir(f'/proc/{pid}/task'):
        try:
            with open(f'/proc/{pid}/task/{task}/stat') as f:
                stat = f.read()
        except OSError:
            continue  # the thread ended meanwhile
        name = stat[stat.index('(') + 1:stat.rindex(')')]
        fields = stat[stat.rindex(')') + 2:].split()
        counts[re.sub(r'\d+', 'N', name)] += int(fields[11]) + int(fields[12])  # utime + stime
    return counts


def main(args):
    if args[0] == 'snap':
        with open(args[2], 'w') as f:
            json.dump(snap(args[1]), f)
        return
    with open(args[1]) as f:
        before = collections.Counter(json.load(f))
    with open(args[2]) as f:
        after = collections.Counter(json.load(f))
    images = float(args[3])
    spent = {name: after[name] - before.get(name, 0) for name in after}
    total = sum(spent.values())
    print(f'total {total / CLOCK_TICKS:.2f} CPU-s, {total / CLOCK_TICKS / images:.4f} per image')
    for name, ticks in sorted(spent.items(), key=lambda item: -item[1])[:30]:
        if ticks:
            print(f'{ticks / CLOCK_TICKS:8.2f} s {ticks / CLOCK_TICKS / images:.4f}/image '
                  f'{ticks * 100 / total:5.1f}% {name}')


if __name__ == '__main__':
    main(sys.argv[1:])
