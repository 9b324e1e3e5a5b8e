"""A LeNet-style convnet in the style of the deeplearning.net Theano tutorials.

Plain Theano: run it with ``python lenet_theano.py DATA.npz`` where Theano works, and with
``relucompat run lenet_theano.py DATA.npz`` anywhere else. Two convolution + max-pooling
layers with relu, a relu hidden layer and a softmax output, trained with SGD on minibatches
of a shared dataset. It prints one JSON line: the loss at each step.

    usage: lenet_theano.py DATA.npz [--steps N] [--batch N]
"""

import argparse
import json

import numpy
import theano
import theano.tensor as T
from theano.tensor.nnet import conv2d
from theano.tensor.signal import pool


class LeNetConvPoolLayer(object):
    def __init__(self, rng, input, filter_shape, image_shape, poolsize=(2, 2)):
        assert image_shape[1] == filter_shape[1]
        fan_in = numpy.prod(filter_shape[1:])
        fan_out = filter_shape[0] * numpy.prod(filter_shape[2:]) // numpy.prod(poolsize)
        W_bound = numpy.sqrt(6.0 / (fan_in + fan_out))
        self.W = theano.shared(
            numpy.asarray(
                rng.uniform(low=-W_bound, high=W_bound, size=filter_shape),
                dtype=theano.config.floatX,
            ),
            borrow=True,
        )
        b_values = numpy.zeros((filter_shape[0],), dtype=theano.config.floatX)
        self.b = theano.shared(value=b_values, borrow=True)
        conv_out = conv2d(
            input=input, filters=self.W, filter_shape=filter_shape, input_shape=image_shape
        )
        pooled_out = pool.pool_2d(input=conv_out, ws=poolsize, ignore_border=True)
        self.output = T.nnet.relu(pooled_out + self.b.dimshuffle("x", 0, "x", "x"))
        self.params = [self.W, self.b]


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
        self.output = activation(T.dot(input, self.W) + self.b)
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
        self.params = [self.W, self.b]

    def negative_log_likelihood(self, y):
        return -T.mean(T.log(self.p_y_given_x)[T.arange(y.shape[0]), y])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("data")
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--batch", type=int, default=20)
    parser.add_argument("--kernels", type=int, nargs=2, default=[6, 8])
    args = parser.parse_args()

    data = numpy.load(args.data)
    images = numpy.asarray(data["x"], dtype=theano.config.floatX)
    train_x = theano.shared(images, borrow=True)
    train_y = T.cast(theano.shared(numpy.asarray(data["y"], dtype=theano.config.floatX)), "int32")
    side = int(round(images.shape[1] ** 0.5))
    n_out = int(data["y"].max()) + 1
    batch = args.batch
    nkerns = args.kernels

    index = T.lscalar()
    x = T.matrix("x")
    y = T.ivector("y")
    rng = numpy.random.RandomState(23455)

    layer0_input = x.reshape((batch, 1, side, side))
    layer0 = LeNetConvPoolLayer(
        rng, layer0_input, image_shape=(batch, 1, side, side), filter_shape=(nkerns[0], 1, 5, 5)
    )
    side0 = (side - 5 + 1) // 2
    layer1 = LeNetConvPoolLayer(
        rng,
        layer0.output,
        image_shape=(batch, nkerns[0], side0, side0),
        filter_shape=(nkerns[1], nkerns[0], 3, 3),
    )
    side1 = (side0 - 3 + 1) // 2
    layer2 = HiddenLayer(rng, layer1.output.flatten(2), nkerns[1] * side1 * side1, 32)
    layer3 = LogisticRegression(layer2.output, n_in=32, n_out=n_out)

    cost = layer3.negative_log_likelihood(y)
    params = layer3.params + layer2.params + layer1.params + layer0.params
    grads = T.grad(cost, params)
    learning_rate = 0.3
    updates = [(p, p - learning_rate * g) for p, g in zip(params, grads)]
    train_model = theano.function(
        [index],
        cost,
        updates=updates,
        givens={
            x: train_x[index * batch : (index + 1) * batch],
            y: train_y[index * batch : (index + 1) * batch],
        },
    )
    n_batches = images.shape[0] // batch
    losses = [float(train_model(step % n_batches)) for step in range(args.steps)]
    print(json.dumps({"losses": losses}))


if __name__ == "__main__":
    main()
