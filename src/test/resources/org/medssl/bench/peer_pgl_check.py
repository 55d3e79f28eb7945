#!/usr/bin/python3
"""Runs the PyTorch peer's pgl3d step (bench/peer_pytorch.py) from medssl's weights and views, so
PeerPglTest can check that both sides compute the same step. Arguments: the peer script, a
directory holding weights.json (names and shapes, in file order), weights.bin and views.bin
(little-endian float32; the views are view 0 then view 1 of the batch), and the number of steps.
Prints JSON: the loss of each step and the peer's parameter count."""
import importlib.util
import json
import os
import re
import sys

import torch


def load_peer(path):
    spec = importlib.util.spec_from_file_location("peer_pytorch", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def floats(path):
    with open(path, "rb") as f:
        return torch.frombuffer(bytearray(f.read()), dtype=torch.float32)


def peer_name(name):
    """medssl's weight name as the peer's module path: prefixes, stageK -> blocks.K, w/b -> weight/bias."""
    for ours, theirs in (("target.encoder.", "target."), ("target.projector.", "target_projector."),
                         ("encoder.", "online.")):
        if name.startswith(ours):
            name = theirs + name[len(ours):]
            break
    name = re.sub(r"stage(\d+)\.", r"blocks.\1.", name)
    return re.sub(r"\.w$", ".weight", re.sub(r"\.b$", ".bias", name))


def main(peer_path, data, steps):
    peer = load_peer(peer_path)
    torch.set_num_threads(1)
    model = peer.PglPeer()
    with open(os.path.join(data, "weights.json")) as f:
        manifest = json.load(f)
    values = floats(os.path.join(data, "weights.bin"))
    state = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    loaded, offset = {}, 0
    for entry in manifest:
        n = 1
        for s in entry["shape"]:
            n *= s
        loaded[peer_name(entry["name"])] = values[offset:offset + n].reshape(entry["shape"])
        offset += n
    if set(loaded) != set(state):
        sys.exit(f"weights differ: only in medssl {sorted(set(loaded) - set(state))},"
                 f" only in the peer {sorted(set(state) - set(loaded))}")
    with torch.no_grad():
        for name, tensor in state.items():
            if tuple(tensor.shape) != tuple(loaded[name].shape):
                sys.exit(f"{name}: shape {tuple(loaded[name].shape)} in medssl, {tuple(tensor.shape)} in the peer")
            tensor.copy_(loaded[name])
    views = floats(os.path.join(data, "views.bin")).reshape(2, peer.PGL_BATCH, 1, *peer.PGL_PATCH)
    opt = peer.pgl_optimizer(model)
    geometry = peer.pgl_geometries()
    losses = [peer.pgl_step(model, opt, [views[0], views[1]], geometry, False, k, steps) for k in range(1, steps + 1)]
    json.dump({"losses": losses, "parameters": sum(p.numel() for p in model.parameters())}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
