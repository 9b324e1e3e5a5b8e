"""A multilayer perceptron in the style of the deeplearning.net Theano tutorials.

Plain Theano: run it with ``python mlp_theano.py DATA.npz`` where Theano works, and with
``relucompat run mlp_theano.py DATA.npz`` anywhere else. It trains on minibatches of a
shared dataset with SGD, L1 and L2 terms, and prints one JSON line: the loss at each step.

    usage: mlp_theano.py DATA.npz [--steps N] [--batch N]
"""

import argparse
import json

import numpy
import theano
import theano.tensor as T


class HiddenLayer(object):
    def __init__(self, rng, input, n_in, n_out, activation=T.nnet.relu):
        bound = numpy.sqrt(6.0 / (n_in + n_out))
        W_values = numpy.asarray(
            rng.uniform(low=-bound, high=bound, size=(n_in, n_out)), dtype=theano.config.floatX
        )
        self.W = theano.shared(value=W_values, name="W", borrow=True)
        self.b = theano.shared(
            value=numpy.zeros((n_out,), dtype=theano.config.floatX), name="b", borrow=True
        )
        lin_output = T.dot(input, self.W) + self.b
        self.output = lin_output if activation is None else activation(lin_output)
        self.params = [self.W, self.b]


class LogisticRegression(object):
    def __init__(self, input, n_in, n_out):
        self.W = theano.shared(
            value=numpy.zeros((n_in, n_out), dtype=theano.config.floatX), name="W", borrow=True
        )
        self.b = theano.shared(
            value=numpy.zeros((n_out,), dtype=theano.config.floatX), name="b", borrow=True
        )
        self.p_y_given_x = T.nnet.softmax(T.dot(input, self.W) + self.b)
        self.y_pred = T.argmax(self.p_y_given_x, axis=1)
        self.params = [self.W, self.b]

    def negative_log_likelihood(self, y):
        return -T.mean(T.log(self.p_y_given_x)[T.arange(y.shape[0]), y])

    def errors(self, y):
        return T.mean(T.neq(self.y_pred, y))


class MLP(object):
    def __init__(self, rng, input, n_in, n_hidden, n_out):
        self.hiddenLayer = HiddenLayer(rng, input, n_in, n_hidden, activation=T.nnet.relu)
        self.logRegressionLayer = LogisticRegression(self.hiddenLayer.output, n_hidden, n_out)
        self.L1 = abs(self.hiddenLayer.W).sum() + abs(self.logRegressionLayer.W).sum()
        self.L2_sqr = (self.hiddenLayer.W ** 2).sum() + (self.logRegressionLayer.W ** 2).sum()
        self.negative_log_likelihood = self.logRegressionLayer.negative_log_likelihood
        self.errors = self.logRegressionLayer.errors
        self.params = self.hiddenLayer.params + self.logRegressionLayer.params


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20)
    args = parser.parse_args()

    data = numpy.load(args.data)
    train_x = theano.shared(numpy.asarray(data["x"], dtype=theano.config.floatX), borrow=True)
    train_y = T.cast(theano.shared(numpy.asarray(data["y"], dtype=theano.config.floatX)), "int32")

    index = T.lscalar()
    x = T.matrix("x")
    y = T.ivector("y")
    rng = numpy.random.RandomState(1234)
    classifier = MLP(rng, x, n_in=data["x"].shape[1], n_hidden=16, n_out=int(data["y"].max()) + 1)
    cost = (
        classifier.negative_log_likelihood(y) + 0.0001 * classifier.L1 + 0.0001 * classifier.L2_sqr
    )
    gparams = [T.grad(cost, param) for param in classifier.params]
    learning_rate = 0.1
    updates = [(p, p - learning_rate * g) for p, g in zip(classifier.params, gparams)]
    train_model = theano.function(
        inputs=[index],
        outputs=cost,
        updates=updates,
        givens={
            x: train_x[index * args.batch : (index + 1) * args.batch],
            y: train_y[index * args.batch : (index + 1) * args.batch],
        },
    )
    n_batches = data["x"].shape[0] // args.batch
    losses = [float(train_model(step % n_batches)) for step in range(args.steps)]
    print(json.dumps({"losses": losses}))


if __name__ == "__main__":
    main()
