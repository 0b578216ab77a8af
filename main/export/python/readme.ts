/** README.txt of a Python export: what is in the folder and how to run each script. */
import type { PythonDataSummary, PythonExportInput } from './index.js';
import type { TorchModel } from './torch-script.js';

function dataLines(x: PythonExportInput, summary: PythonDataSummary): string {
  if (summary.format === 'none') return `data/           not written: ${summary.reason}.`;
  const { train, validation, test } = summary.counts;
  const counts = `${train} train, ${validation} validation, ${test} test`;
  if (summary.format === 'coco')
    return `data/           the dataset as COCO: annotations/instances_<train|val|test>.json (confirmed boxes only,
                [x, y, w, h] in pixels of the EXIF-rotated image) and images/<train|val|test>/.
                ${counts} images, ${summary.boxes} boxes; classes ${x.detector?.classes.join(', ') ?? ''}.
detection_data.py  reads it (numpy and Pillow): each image EXIF-rotated, stretched to the Input, / 255;
                the grid target (encode_grid_target, as the app encodes it); decode_grid turns an
                output into boxes (score = objectness x class probability, threshold ${x.detector?.threshold ?? ''}${x.detector?.thresholdSource === 'evaluation' ? " from the run's evaluation" : ', the default (not evaluated)'}).
                Training it in Keras (model_keras.py --epochs) needs Keras 3: the grid loss uses keras.ops.`;
  if (summary.kind === 'images')
    return `data/           the images as training decoded them: x0_*.npy uint8 (N, height, width, channels)
                (EXIF-rotated, stretched to the Input; divide by 255 as the app does, the scripts do
                it batch by batch), y.npy (one-hot), split.npy (0 train, 1 validation, 2 test),
                items.npy (item id) and files.json (name as imported) of each image, dataset.json.
                ${counts} images; classes ${x.imageData?.classes.join(', ') ?? ''}.`;
  return `data/           the prepared dataset: ${x.data?.inputs.map((_, k) => `x${k}_*.npy`).join(', ') ?? ''}, y.npy, split.npy (0 train, 1 validation,
                2 test), rows.npy (CSV row of each sample), dataset.json (names, shapes, preprocessing).
                ${counts} samples; task: ${x.data?.task ?? ''} of '${x.data?.target ?? ''}'.`;
}

export function readme(x: PythonExportInput, model: TorchModel, summary: PythonDataSummary): string {
  const shapes = model.inputs.map((i) => `  ${i.name}: (batch, ${i.shape.join(', ')})`).join('\n');
  const data = dataLines(x, summary);
  return `${x.title}: Python code exported by Layerbench
${'='.repeat(x.title.length + 34)}

Files
-----
model_torch.py  the model as torch.nn code (needs torch and numpy only)
weights.npz     its trained weights in torch's layout (numpy.load; state_dict keys)
train.py        continues training with PyTorch, one process or DistributedDataParallel under torchrun
model_keras.py  the same model in Keras's functional API (Keras 3 or tf.keras 2)
keras/          the Keras export it loads: ${x.name}.keras (Keras 3) and ${x.name}.h5 (tf.keras 2)
${data}

Inputs (channels last, as in the app and in Keras):
${shapes}
Outputs: ${model.outputs.join(', ')}

PyTorch
-------
  python3 model_torch.py                                  # load the weights, run zeros, print shapes
  python3 model_torch.py --inputs x.npz --outputs out/    # predict: arrays named as the inputs above

  python3 train.py --epochs 5                             # one process: CPU or one GPU
  torchrun --nproc_per_node=2 train.py --epochs 5         # 2 processes here (gloo on CPU, nccl on GPUs)
  torchrun --nnodes=2 --node_rank=0 --master_addr=HOST --nproc_per_node=8 train.py   # on each machine

torch 1.13 on Python 3.11 (Debian 12's python3-torch) stops torchrun with "'NoneType' object has no
attribute 'get'": add --redirects 1 --tee 1 before train.py (the default of 0 does not parse there).

train.py uses the run's loss (${x.settings.loss}), optimizer (${x.settings.optimizer}, learning rate ${x.settings.learningRate}) and batch
size (${x.settings.batchSize} per process); a DistributedSampler gives each process its share of the training split.
Rank 0 writes checkpoints/checkpoint.pt after each epoch (model and optimizer state, loss, val_loss);
--resume checkpoints/checkpoint.pt continues from it.

Keras
-----
  pip install keras tensorflow       # not needed for the PyTorch scripts
  python3 model_keras.py             # rebuild, load keras/${x.name}.keras, print the summary
  python3 model_keras.py --epochs 5  # continue training on data/, save checkpoints/model_keras.keras

Layout notes
------------
Tensors between layers keep Keras's layout (channels last); convolutions and pools move channels
first for torch and back, so Flatten and Dense see the values in Keras's order. Converted weights:
Dense kernels transposed; Conv kernels HWIO -> OIHW; LSTM gates i,f,c,o = torch's i,f,g,o with the
Keras bias in bias_ih and zeros in bias_hh; GRUs (TF.js's reset_after = false, which torch's nn.GRU
cannot compute) run as a step loop on Keras's own weights. Dropout inside recurrent layers
(recurrent_dropout) is not applied by the torch code.
See export-report.json and EXPORT.md for the parity measured at export time.
`;
}
