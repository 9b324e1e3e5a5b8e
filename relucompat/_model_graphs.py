"""The models ``relucompat bench --model`` trains: the tutorials' programs, one of each kind.

Each builds its graph as a Theano-era program does, through :mod:`relucompat.legacy`
(Theano's own ops on Theano 1.0.5): ``mlp`` and ``lenet`` with relu built by the candidate
under test; ``lstm`` (a recurrent classifier trained through ``scan``), ``rbm`` (contrastive
divergence with a ``scan`` Gibbs chain drawing from ``RandomStreams``) and ``dae`` (a
denoising autoencoder), which have no relu, as legacy programs of those kinds.
"""

from __future__ import annotations

from typing import Any, Callable, List, NamedTuple, Sequence, Tuple

from relucompat.lineage import Loaded

Relu = Callable[[Any], Any]


class Graph(NamedTuple):
    """One training step's graph: SGD on ``cost`` over ``params``, the gradient stopped at
    ``constant``, with the ``updates`` the graph's own random streams need."""

    inputs: list
    cost: Any
    params: list
    data: list
    constant: Sequence[Any] = ()
    updates: Sequence[Tuple[Any, Any]] = ()


class Model(NamedTuple):
    name: str
    describe: str
    batches: Tuple[int, ...]
    build: Callable[[Loaded, Relu, int, str], Graph]
    uses_relu: bool = True  # whether the relu candidates change its graph


def _dense(backend: Loaded, rng: Any, n_in: int, n_out: int, dtype: str) -> Tuple[Any, Any]:
    import numpy as np

    bound = np.sqrt(6.0 / (n_in + n_out))
    W = backend.module.shared(rng.uniform(-bound, bound, (n_in, n_out)).astype(dtype))
    b = backend.module.shared(np.zeros(n_out, dtype=dtype))
    return W, b


def _softmax_nll(T: Any, h: Any, W: Any, b: Any, y: Any) -> Any:
    from relucompat.legacy.tensor.nnet import softmax

    p = softmax(T.dot(h, W) + b)
    return -T.mean(T.log(p)[T.arange(y.shape[0]), y])


def _mlp(backend: Loaded, relu: Relu, batch: int, dtype: str) -> Graph:
    """784-500-10, the deeplearning.net tutorial's MLP."""
    import numpy as np

    T, rng = backend.tensor, np.random.RandomState(1234)
    x, y = T.matrix(dtype=dtype), T.ivector()
    W1, b1 = _dense(backend, rng, 784, 500, dtype)
    W2, b2 = _dense(backend, rng, 500, 10, dtype)
    cost = _softmax_nll(T, relu(T.dot(x, W1) + b1), W2, b2, y)
    data = [rng.standard_normal((batch, 784)).astype(dtype), rng.randint(0, 10, batch)]
    return Graph([x, y], cost, [W1, b1, W2, b2], [data[0], data[1].astype("int32")])


def _lenet(backend: Loaded, relu: Relu, batch: int, dtype: str) -> Graph:
    """The deeplearning.net tutorial's LeNet: 28x28 images, 20 and 50 5x5 kernels each
    followed by 2x2 max-pooling and relu, a 500-unit relu layer, softmax over 10."""
    import numpy as np

    from relucompat.legacy.tensor.nnet import conv2d
    from relucompat.legacy.tensor.signal.pool import pool_2d

    T, rng = backend.tensor, np.random.RandomState(23455)
    x, y = T.matrix(dtype=dtype), T.ivector()
    params: List[Any] = []
    h = x.reshape((batch, 1, 28, 28))
    shape = (batch, 1, 28, 28)
    for kernels in (20, 50):
        filters = (kernels, shape[1], 5, 5)
        W = backend.module.shared(rng.uniform(-0.1, 0.1, filters).astype(dtype))
        b = backend.module.shared(np.zeros(kernels, dtype=dtype))
        conv = conv2d(h, W, input_shape=shape, filter_shape=filters)
        h = relu(pool_2d(conv, ws=(2, 2), ignore_border=True) + b.dimshuffle("x", 0, "x", "x"))
        shape = (batch, kernels, (shape[2] - 4) // 2, (shape[3] - 4) // 2)
        params += [W, b]
    W3, b3 = _dense(backend, rng, 50 * 4 * 4, 500, dtype)
    W4, b4 = _dense(backend, rng, 500, 10, dtype)
    cost = _softmax_nll(T, relu(T.dot(h.flatten(2), W3) + b3), W4, b4, y)
    data = [rng.standard_normal((batch, 784)).astype(dtype), rng.randint(0, 10, batch)]
    return Graph([x, y], cost, [*params, W3, b3, W4, b4], [data[0], data[1].astype("int32")])


LSTM_STEPS, LSTM_WORDS, LSTM_UNITS = 100, 1000, 128


def _lstm(backend: Loaded, relu: Relu, batch: int, dtype: str) -> Graph:
    """The tutorial's LSTM sentiment classifier: 100-step sequences of word indices, a
    128-dim embedding, one LSTM layer through ``scan`` with a mask, mean-pooled, softmax over
    2 classes."""
    import numpy as np

    from relucompat.legacy import scan
    from relucompat.legacy.tensor.nnet import sigmoid

    T, rng = backend.tensor, np.random.RandomState(123)
    n = LSTM_UNITS

    def weights(*shape: int) -> Any:
        return backend.module.shared((0.01 * rng.standard_normal(shape)).astype(dtype))

    embedding, W, U = weights(LSTM_WORDS, n), weights(n, 4 * n), weights(n, 4 * n)
    b = backend.module.shared(np.zeros(4 * n, dtype=dtype))
    W_out = weights(n, 2)
    b_out = backend.module.shared(np.zeros(2, dtype=dtype))
    words, mask, y = T.imatrix(), T.matrix(dtype=dtype), T.ivector()  # (steps, batch)
    steps, samples = words.shape[0], words.shape[1]
    inputs = T.dot(embedding[words.flatten()].reshape((steps, samples, n)), W) + b

    def step(m: Any, x: Any, h: Any, c: Any) -> List[Any]:
        gates = T.dot(h, U) + x
        i, f, o = (sigmoid(gates[:, k * n : (k + 1) * n]) for k in range(3))
        c_new = f * c + i * T.tanh(gates[:, 3 * n :])
        c_new = m[:, None] * c_new + (1 - m)[:, None] * c
        h_new = m[:, None] * (o * T.tanh(c_new)) + (1 - m)[:, None] * h
        return [h_new, c_new]

    zeros = T.alloc(np.asarray(0, dtype=dtype), samples, n)
    (hidden, _), _ = scan(step, sequences=[mask, inputs], outputs_info=[zeros, zeros])
    pooled = (hidden * mask[:, :, None]).sum(axis=0) / mask.sum(axis=0)[:, None]
    cost = _softmax_nll(T, pooled, W_out, b_out, y)
    lengths = rng.randint(LSTM_STEPS // 2, LSTM_STEPS + 1, batch)
    mask_data = (np.arange(LSTM_STEPS)[:, None] < lengths[None, :]).astype(dtype)
    word_data = rng.randint(0, LSTM_WORDS, (LSTM_STEPS, batch)).astype("int32")
    labels = rng.randint(0, 2, batch).astype("int32")
    return Graph(
        [words, mask, y],
        cost,
        [embedding, W, U, b, W_out, b_out],
        [word_data, mask_data, labels],
    )


RBM_GIBBS_STEPS = 15


def _rbm(backend: Loaded, relu: Relu, batch: int, dtype: str) -> Graph:
    """The tutorial's RBM: 784 visible and 500 hidden binary units trained by contrastive
    divergence, a 15-step Gibbs chain through ``scan`` sampling from ``RandomStreams``."""
    import numpy as np

    from relucompat.legacy import scan
    from relucompat.legacy.tensor.nnet import sigmoid
    from relucompat.legacy.tensor.shared_randomstreams import RandomStreams

    T, rng = backend.tensor, np.random.RandomState(123)
    W, hbias = _dense(backend, rng, 784, 500, dtype)
    vbias = backend.module.shared(np.zeros(784, dtype=dtype))
    streams = RandomStreams(rng.randint(2**30))

    def sample(mean: Any) -> Any:
        return streams.binomial(size=mean.shape, n=1, p=mean, dtype=dtype)

    def gibbs(h: Any) -> List[Any]:
        v = sample(sigmoid(T.dot(h, W.T) + vbias))
        return [v, sample(sigmoid(T.dot(v, W) + hbias))]

    def free_energy(v: Any) -> Any:
        return -T.dot(v, vbias) - T.sum(T.log(1 + T.exp(T.dot(v, W) + hbias)), axis=1)

    x = T.matrix(dtype=dtype)
    (visible, _), chain_updates = scan(
        gibbs, outputs_info=[None, sample(sigmoid(T.dot(x, W) + hbias))], n_steps=RBM_GIBBS_STEPS
    )
    chain_end = visible[-1]
    cost = T.mean(free_energy(x)) - T.mean(free_energy(chain_end))
    data = [rng.uniform(0, 1, (batch, 784)).astype(dtype)]
    return Graph([x], cost, [W, hbias, vbias], data, [chain_end], list(chain_updates.items()))


def _dae(backend: Loaded, relu: Relu, batch: int, dtype: str) -> Graph:
    """The tutorial's denoising autoencoder: 784-500 with tied weights, 30% of the input
    zeroed by ``RandomStreams``, sigmoid units, cross-entropy reconstruction."""
    import numpy as np

    from relucompat.legacy.tensor.nnet import sigmoid
    from relucompat.legacy.tensor.shared_randomstreams import RandomStreams

    T, rng = backend.tensor, np.random.RandomState(123)
    W, b = _dense(backend, rng, 784, 500, dtype)
    b_prime = backend.module.shared(np.zeros(784, dtype=dtype))
    streams = RandomStreams(rng.randint(2**30))
    x = T.matrix(dtype=dtype)
    kept = streams.binomial(size=x.shape, n=1, p=0.7, dtype=dtype) * x
    z = sigmoid(T.dot(sigmoid(T.dot(kept, W) + b), W.T) + b_prime)
    cost = T.mean(-T.sum(x * T.log(z) + (1 - x) * T.log(1 - z), axis=1))
    return Graph([x], cost, [W, b, b_prime], [rng.uniform(0, 1, (batch, 784)).astype(dtype)])


MODELS = {
    "mlp": Model("mlp", "784-500-10 MLP", (20, 500), _mlp),
    "lenet": Model("lenet", "LeNet (conv 20, conv 50, 500, 10)", (20, 500), _lenet),
    "lstm": Model(
        "lstm", "LSTM classifier (100 steps, 128 units, scan)", (16,), _lstm, uses_relu=False
    ),
    "rbm": Model("rbm", "RBM 784-500, CD-15 (scan Gibbs chain)", (20,), _rbm, uses_relu=False),
    "dae": Model("dae", "denoising autoencoder 784-500", (20, 500), _dae, uses_relu=False),
}
