"""A multilayer perceptron with dropout, in the style of the Theano tutorials of its day.

Plain Theano: ``python dropout_mlp_theano.py DATA.npz --dropout 0.2`` where Theano works,
``relucompat run dropout_mlp_theano.py DATA.npz --dropout 0.2`` anywhere else. Two relu
hidden layers whose outputs are masked by ``MRG_RandomStreams`` draws while training, a
softmax output, SGD over minibatches of a shared dataset. It prints one JSON line: the
training loss at each step, and the loss of the whole dataset without dropout at the end.

    usage: dropout_mlp_theano.py DATA.npz [--dropout P] [--steps N] [--batch N] [--seed N]
"""

import argparse
import json

import numpy
import theano
import theano.tensor as T
from theano.sandbox.rng_mrg import MRG_RandomStreams


def dropout(srng, layer, p):
    """Zero each unit with probability p, and scale the survivors by 1 / (1 - p)."""
    mask = srng.binomial(n=1, p=1 - p, size=layer.shape, dtype=theano.config.floatX)
    return layer * mask / (1 - p)


class HiddenLayer:
    def __init__(self, rng, n_in, n_out):
        bound = numpy.sqrt(6.0 / (n_in + n_out))
        W_values = numpy.asarray(
            rng.uniform(low=-bound, high=bound, size=(n_in, n_out)), dtype=theano.config.floatX
        )
        self.W = theano.shared(value=W_values, name="W", borrow=True)
        self.b = theano.shared(
            value=numpy.zeros((n_out,), dtype=theano.config.floatX), name="b", borrow=True
        )
        self.params = [self.W, self.b]

    def output(self, input):
        return T.nnet.relu(T.dot(input, self.W) + self.b)


class DropoutMLP:
    def __init__(self, rng, srng, n_in, n_hidden, n_out, p):
        self.layers = [HiddenLayer(rng, n_in, n_hidden), HiddenLayer(rng, n_hidden, n_hidden)]
        self.W = theano.shared(
            numpy.zeros((n_hidden, n_out), dtype=theano.config.floatX), name="W", borrow=True
        )
        self.b = theano.shared(numpy.zeros((n_out,), dtype=theano.config.floatX), name="b")
        self.params = [param for layer in self.layers for param in layer.params]
        self.params += [self.W, self.b]
        self.srng, self.p = srng, p

    def p_y_given_x(self, input, train):
        for layer in self.layers:
            input = layer.output(input)
            if train:
                input = dropout(self.srng, input, self.p)
        return T.nnet.softmax(T.dot(input, self.W) + self.b)

    def negative_log_likelihood(self, input, y, train):
        p_y = self.p_y_given_x(input, train)
        return -T.mean(T.log(p_y)[T.arange(y.shape[0]), y])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--dropout", type=float, default=0.2)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--seed", type=int, default=4321, help="of the dropout masks")
    args = parser.parse_args()

    data = numpy.load(args.data)
    train_x = theano.shared(numpy.asarray(data["x"], dtype=theano.config.floatX), borrow=True)
    train_y = T.cast(theano.shared(numpy.asarray(data["y"], dtype=theano.config.floatX)), "int32")

    index = T.lscalar()
    x = T.matrix("x")
    y = T.ivector("y")
    rng = numpy.random.RandomState(1234)
    srng = MRG_RandomStreams(seed=args.seed)
    n_out = int(data["y"].max()) + 1
    model = DropoutMLP(rng, srng, data["x"].shape[1], 32, n_out, args.dropout)
    cost = model.negative_log_likelihood(x, y, train=True)
    gparams = [T.grad(cost, param) for param in model.params]
    learning_rate = 0.1
    updates = [(p, p - learning_rate * g) for p, g in zip(model.params, gparams)]
    train_model = theano.function(
        inputs=[index],
        outputs=cost,
        updates=updates,
        givens={
            x: train_x[index * args.batch : (index + 1) * args.batch],
            y: train_y[index * args.batch : (index + 1) * args.batch],
        },
    )
    evaluate = theano.function(
        [], model.negative_log_likelihood(x, y, train=False), givens={x: train_x, y: train_y}
    )
    n_batches = data["x"].shape[0] // args.batch
    losses = [float(train_model(step % n_batches)) for step in range(args.steps)]
    print(json.dumps({"losses": losses, "final": float(evaluate())}))


if __name__ == "__main__":
    main()
