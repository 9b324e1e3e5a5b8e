"""A denoising autoencoder in the style of the deeplearning.net Theano tutorial (dA.py).

Plain Theano: ``python dA_theano.py DATA.npz --corruption 0.3`` where Theano works,
``relucompat run dA_theano.py DATA.npz --corruption 0.3`` anywhere else. Tied weights,
sigmoid units, the input corrupted by ``RandomStreams`` binomial masks, the tutorial's
cross-entropy cost, SGD over minibatches of a shared dataset scaled to [0, 1]. It prints one
JSON line: the training cost at each step, and the cost of the whole uncorrupted dataset
at the end.

    usage: dA_theano.py DATA.npz [--corruption P] [--steps N] [--batch N] [--seed N]
"""

import argparse
import json

import numpy
import theano
import theano.tensor as T
from theano.tensor.shared_randomstreams import RandomStreams


class dA:
    def __init__(self, numpy_rng, theano_rng, input, n_visible, n_hidden):
        bound = 4 * numpy.sqrt(6.0 / (n_hidden + n_visible))
        initial_W = numpy.asarray(
            numpy_rng.uniform(low=-bound, high=bound, size=(n_visible, n_hidden)),
            dtype=theano.config.floatX,
        )
        self.W = theano.shared(value=initial_W, name="W", borrow=True)
        self.b = theano.shared(
            value=numpy.zeros(n_hidden, dtype=theano.config.floatX), name="b", borrow=True
        )
        self.b_prime = theano.shared(
            value=numpy.zeros(n_visible, dtype=theano.config.floatX), name="b'", borrow=True
        )
        self.W_prime = self.W.T
        self.theano_rng = theano_rng
        self.x = input
        self.params = [self.W, self.b, self.b_prime]

    def get_corrupted_input(self, input, corruption_level):
        return (
            self.theano_rng.binomial(
                size=input.shape, n=1, p=1 - corruption_level, dtype=theano.config.floatX
            )
            * input
        )

    def get_hidden_values(self, input):
        return T.nnet.sigmoid(T.dot(input, self.W) + self.b)

    def get_reconstructed_input(self, hidden):
        return T.nnet.sigmoid(T.dot(hidden, self.W_prime) + self.b_prime)

    def cost(self, input):
        z = self.get_reconstructed_input(self.get_hidden_values(input))
        L = -T.sum(self.x * T.log(z) + (1 - self.x) * T.log(1 - z), axis=1)
        return T.mean(L)

    def get_cost_updates(self, corruption_level, learning_rate):
        cost = self.cost(self.get_corrupted_input(self.x, corruption_level))
        gparams = T.grad(cost, self.params)
        updates = [(param, param - learning_rate * g) for param, g in zip(self.params, gparams)]
        return (cost, updates)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--corruption", type=float, default=0.3)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--seed", type=int, default=2**30 - 1, help="of the corruption")
    args = parser.parse_args()

    data = numpy.load(args.data)
    scaled = (data["x"] - data["x"].min(axis=0)) / (data["x"].max(axis=0) - data["x"].min(axis=0))
    train_x = theano.shared(numpy.asarray(scaled, dtype=theano.config.floatX), borrow=True)

    index = T.lscalar()
    x = T.matrix("x")
    rng = numpy.random.RandomState(123)
    theano_rng = RandomStreams(args.seed)
    da = dA(numpy_rng=rng, theano_rng=theano_rng, input=x, n_visible=scaled.shape[1], n_hidden=8)
    cost, updates = da.get_cost_updates(corruption_level=args.corruption, learning_rate=0.1)
    train_da = theano.function(
        [index],
        cost,
        updates=updates,
        givens={x: train_x[index * args.batch : (index + 1) * args.batch]},
    )
    evaluate = theano.function([], da.cost(x), givens={x: train_x})
    n_batches = scaled.shape[0] // args.batch
    losses = [float(train_da(step % n_batches)) for step in range(args.steps)]
    print(json.dumps({"losses": losses, "final": float(evaluate())}))


if __name__ == "__main__":
    main()
