#!/usr/bin/env python3
"""PyTorch peer of Layerbench's journey benchmark (bench/bench.ts).

    python3 torch_peer.py SPEC.json

Trains the journey's model in PyTorch on the CPU with the batch size, optimizer, learning rate,
epochs and data the spec gives (written by bench/peers/peer.ts: raw little-endian arrays for J1 and
J3, the IDX files for J2), and prints one JSON line. Timing matches the TypeScript side: each epoch
is timed from its first batch to its last (shuffle, batch gather, forward, backward, step, reading
the loss); epoch_s is the median of the epochs after the first (the first, with warm-up, is
reported as first_epoch_s), or the only epoch when there is one. The metric is computed after
training, untimed.
"""
import gzip
import json
import resource
import statistics
import sys
import time

import numpy as np
import torch
from torch import nn

START_THREADS = torch.get_num_threads()


def load_array(a):
    return np.fromfile(a["file"], dtype=np.dtype(a["dtype"]).newbyteorder("<")).reshape(a["shape"])


def read_idx(path):
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        raw = f.read()
    if raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    rank = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(rank)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


class J1(nn.Module):
    """Input (steps, features) → LSTM(50) → Dense(1)."""

    def __init__(self, features, units):
        super().__init__()
        self.lstm = nn.LSTM(features, units, batch_first=True)
        self.dense = nn.Linear(units, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.dense(out[:, -1])


class J2(nn.Module):
    """Conv(32, 5×5, same)+ReLU → MaxPool 2 → Conv(64, 5×5, same)+ReLU → MaxPool 2 → Dense(1024)+ReLU → Dropout(0.5) → Dense(10)."""

    def __init__(self, side, classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        )
        flat = 64 * (side // 4) * (side // 4)
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(flat, 1024), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1024, classes))

    def forward(self, x):
        return self.head(self.features(x))


class J3(nn.Module):
    """VGG-like CNN (64×2, 128×2, 256×3 3×3 convs, each block max-pooled) ‖ Embedding(1427, 256) → LSTM(256); concatenated → Dense(1427)."""

    def __init__(self, side, channels, vocabulary, answers):
        super().__init__()
        layers, c = [], channels
        for filters, convs in ((64, 2), (128, 2), (256, 3)):
            for _ in range(convs):
                layers += [nn.Conv2d(c, filters, 3, padding=1), nn.ReLU()]
                c = filters
            if side >= 4:  # as the template: pool only while the side stays at least 2
                layers.append(nn.MaxPool2d(2))
                side //= 2
        self.cnn = nn.Sequential(*layers, nn.Flatten())
        self.embedding = nn.Embedding(vocabulary, 256)
        self.lstm = nn.LSTM(256, 256, batch_first=True)
        self.dense = nn.Linear(256 + 256 * side * side, answers)

    def forward(self, image, question):
        out, _ = self.lstm(self.embedding(question))
        return self.dense(torch.cat([out[:, -1], self.cnn(image)], dim=1))


def data_of(spec):
    """(train inputs, train targets, test inputs, test targets) as tensors; images NCHW."""
    j = spec["journey"]
    if j == "j2":
        idx = spec["idx"]
        n = idx["train_count"]
        to_x = lambda a: torch.from_numpy(a.astype(np.float32) / 255.0).unsqueeze(1)
        to_y = lambda a: torch.from_numpy(a.astype(np.int64))
        return (
            [to_x(read_idx(idx["train_images"])[:n])],
            to_y(read_idx(idx["train_labels"])[:n]),
            [to_x(read_idx(idx["test_images"]))],
            to_y(read_idx(idx["test_labels"])),
        )
    a = {k: load_array(v) for k, v in spec["arrays"].items()}
    if j == "j1":
        t = lambda k: torch.from_numpy(np.ascontiguousarray(a[k], dtype=np.float32))
        return [t("train_x")], t("train_y"), [t("test_x")], t("test_y")
    image = lambda k: torch.from_numpy(np.ascontiguousarray(a[k].transpose(0, 3, 1, 2)))
    ids = lambda k: torch.from_numpy(a[k].astype(np.int64))
    return (
        [image("train_image"), ids("train_question")],
        ids("train_answer"),
        [image("test_image"), ids("test_question")],
        ids("test_answer"),
    )


def model_of(spec):
    m, j = spec["model"], spec["journey"]
    if j == "j1":
        return J1(m["features"], m["units"])
    if j == "j2":
        return J2(m["side"], m["classes"])
    return J3(m["side"], m["channels"], m["vocabulary"], m["answers"])


@torch.no_grad()
def predict(model, xs, batch):
    model.eval()
    n = xs[0].shape[0]
    out = [model(*[x[i : i + batch] for x in xs]) for i in range(0, n, batch)]
    return torch.cat(out)


def main():
    with open(sys.argv[1]) as f:
        spec = json.load(f)
    if spec.get("threads"):
        torch.set_num_threads(int(spec["threads"]))
    torch.manual_seed(spec["seed"])
    train_x, train_y, test_x, test_y = data_of(spec)
    model = model_of(spec)
    lr = spec["learning_rate"]
    # torch's momentum (buf = m·buf + g; p -= lr·buf) is TF.js's MomentumOptimizer and Keras's SGD(momentum).
    opt = torch.optim.Adam(model.parameters(), lr=lr) if spec["optimizer"] == "adam" else torch.optim.SGD(model.parameters(), lr=lr, momentum=spec.get("momentum", 0))
    loss_fn = nn.L1Loss() if spec["loss"] == "mae" else nn.CrossEntropyLoss()
    n, batch = train_y.shape[0], spec["batch_size"]

    times, final_loss = [], float("nan")
    for _ in range(spec["epochs"]):
        model.train()
        started = time.perf_counter()
        order = torch.randperm(n)
        total = 0.0
        for i in range(0, n, batch):
            rows = order[i : i + batch]
            opt.zero_grad()
            loss = loss_fn(model(*[x[rows] for x in train_x]), train_y[rows])
            loss.backward()
            opt.step()
            total += loss.item() * rows.shape[0]
        times.append(time.perf_counter() - started)
        final_loss = total / n

    steady = times[1:] if len(times) > 1 else times
    epoch_s = statistics.median(steady)
    pred = predict(model, test_x, 500 if spec["journey"] != "j3" else 100)
    if spec["journey"] == "j1":
        u = spec["target_unscale"]
        err = (pred - test_y) * u["divisor"]
        metric = {"name": "test_rmse", "value": round(float(torch.sqrt(torch.mean(err**2))), 3)}
    else:
        metric = {"name": "test_accuracy", "value": round(float((pred.argmax(1) == test_y).float().mean()), 4)}
    print(json.dumps({
        "peer": "pytorch",
        "torch": torch.__version__,
        "python": sys.executable,
        "threads": torch.get_num_threads(),
        "start_threads": START_THREADS,
        "samples_per_s": round(n / epoch_s, 1),
        "epoch_s": round(epoch_s, 3),
        "first_epoch_s": round(times[0], 3),
        "epoch_times": [round(t, 3) for t in times],
        "steady": len(times) > 1,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "metric": metric,
        "final_loss": final_loss,
        "train_samples": n,
        "epochs": len(times),
    }))


if __name__ == "__main__":
    main()
