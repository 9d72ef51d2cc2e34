"""File formats behind one registry (`registry.py`).

- `registered/`: one module per format, named like the format (`xmi.py` is `xmi`,
  `label_studio.py` is `label-studio`), each exposing `FORMAT`.
- `shared/`: what several formats use (safe zip and XML input, decoding, tokens, names).

A format module imports only `workbench.core`, the registry and `shared`, never another format.
"""
