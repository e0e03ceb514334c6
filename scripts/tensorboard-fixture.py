#!/usr/bin/env python3
"""Writes src/test/resources/tensorboard/python.tfevents with TensorBoard's own writer.

The scalars are the ones TensorBoardEventsTest writes with curlab's EventFile: one event per step,
each a Summary of simple_value scalars. Run it again (pip install tensorboard) to remake the fixture:
    python3 scripts/tensorboard-fixture.py
"""
import glob
import os
import shutil
import tempfile

from tensorboard.compat.proto import event_pb2, summary_pb2
from tensorboard.summary.writer.event_file_writer import EventFileWriter

# (step, [(tag, value), ...]): keep in step with TensorBoardEventsTest.SCALARS
SCALARS = [
    (0, [("eval/loss", 5.25), ("eval/ppl", 190.566)]),
    (1, [("train/loss", 5.5), ("train/lr", 0.0003), ("train/grad_norm", 1.75)]),
    (2, [("train/loss", 4.125), ("train/lr", 0.00015), ("select/q_mean", -0.5)]),
    (300, [("rl/pass_at_1", 0.25), ("rl/frac_reward_zero_std", 0.0), ("cost/flops_sampling", 1.5e12)]),
    (2**40, [("task/arith/acc", 1.0)]),
]

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "src", "test", "resources", "tensorboard", "python.tfevents")
tmp = tempfile.mkdtemp()
w = EventFileWriter(tmp)
for step, values in SCALARS:
    summary = summary_pb2.Summary(value=[summary_pb2.Summary.Value(tag=t, simple_value=v) for t, v in values])
    w.add_event(event_pb2.Event(wall_time=1.7e9 + step, step=step, summary=summary))
w.close()
(path,) = glob.glob(os.path.join(tmp, "events.out.tfevents.*"))
shutil.copyfile(path, out)
shutil.rmtree(tmp)
print("wrote", os.path.normpath(out))
