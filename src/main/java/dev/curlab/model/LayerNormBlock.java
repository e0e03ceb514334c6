package dev.curlab.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** LayerNorm over the last axis with GPT-2's epsilon; parameters {@code weight} and {@code bias} (d). */
final class LayerNormBlock extends AbstractBlock {
    private static final float EPS = 1e-5f;
    final Parameter weight;
    final Parameter bias;
    private final int d;

    LayerNormBlock(int d, WeightInit init) {
        this.d = d;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA)
                .optShape(new Shape(d)).optInitializer(init.ones()).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA)
                .optShape(new Shape(d)).optInitializer(init.zeros()).build());
    }

    NDArray apply(NDArray x) { // (..., d) -> (..., d)
        return x.getNDArrayInternal().layerNorm(x, new Shape(d), weight.getArray(), bias.getArray(), EPS).head();
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(inputs.head()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
    }
}
