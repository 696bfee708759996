#!/usr/bin/python3
"""The Flatpak manifest: valid JSON, the GNOME 47 runtime, every git source pinned to a tag."""
import json
import sys
from pathlib import Path

top = Path(sys.argv[1])
path = top / "flatpak" / "io.github.outreach.Outreach.json"
problems = []
try:
    manifest = json.loads(path.read_text())
except (OSError, json.JSONDecodeError) as e:
    print(f"not ok - {path}: {e}")
    sys.exit(1)

if manifest.get("id") != "io.github.outreach.Outreach":
    problems.append("id is not io.github.outreach.Outreach")
if manifest.get("runtime") != "org.gnome.Platform" or manifest.get("runtime-version") != "47":
    problems.append("runtime is not org.gnome.Platform 47")
if manifest.get("command") != "outreach":
    problems.append("command is not outreach")
for arg in ("--share=network", "--share=ipc", "--socket=wayland", "--socket=fallback-x11",
            "--device=dri"):
    if arg not in manifest.get("finish-args", []):
        problems.append(f"finish-args lacks {arg}")

for module in manifest.get("modules", []):
    if isinstance(module, str):
        problems.append(f"module {module} is not inline")
        continue
    for source in module.get("sources", []):
        if source.get("type") == "git" and not source.get("tag"):
            problems.append(f"module {module['name']}: git source not pinned to a tag")
        if source.get("type") == "git" and "branch" in source:
            problems.append(f"module {module['name']}: git source follows a branch")

names = [m["name"] for m in manifest.get("modules", []) if isinstance(m, dict)]
if not names or names[-1] != "outreach":
    problems.append("the last module is not outreach")

if problems:
    for p in problems:
        print(f"not ok - {p}")
    sys.exit(1)
print("ok - flatpak manifest")
