package com.aima.metrics.rollup;

import com.datadoghq.sketch.ddsketch.DDSketch;
import com.datadoghq.sketch.ddsketch.DDSketches;
import com.datadoghq.sketch.ddsketch.encoding.ByteArrayInput;
import com.datadoghq.sketch.ddsketch.encoding.GrowingByteArrayOutput;
import com.datadoghq.sketch.ddsketch.store.CollapsingLowestDenseStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;

/**
 * Creates, encodes and decodes the rollups' DDSketches: logarithmic mapping with the configured relative accuracy and
 * at most {@code maxBins} bins per sign, collapsing the lowest bins beyond that (so the high quantiles that alerts and
 * dashboards use keep their accuracy). With 1% accuracy and 2048 bins, values spanning 17 orders of magnitude fit
 * before any collapse. Thread-safe.
 */
final class Sketches {

    private final double relativeAccuracy;
    private final int maxBins;

    Sketches(double relativeAccuracy, int maxBins) {
        this.relativeAccuracy = relativeAccuracy;
        this.maxBins = maxBins;
    }

    double relativeAccuracy() {
        return relativeAccuracy;
    }

    /** The largest absolute value a sketch can take: larger finite values make {@code accept} throw. */
    double maxTrackableValue() {
        return newSketch().getIndexMapping().maxIndexableValue();
    }

    DDSketch newSketch() {
        return DDSketches.logarithmicCollapsingLowestDense(relativeAccuracy, maxBins);
    }

    byte[] encode(DDSketch sketch) {
        GrowingByteArrayOutput output = GrowingByteArrayOutput.withDefaultInitialCapacity();
        try {
            sketch.encode(output, false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode a sketch.", e);
        }
        return output.trimmedCopy();
    }

    DDSketch decode(ByteBuffer bytes) {
        byte[] array = new byte[bytes.remaining()];
        bytes.duplicate().get(array);
        try {
            return DDSketch.decode(ByteArrayInput.wrap(array), () -> new CollapsingLowestDenseStore(maxBins));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decode a rollup's sketch (" + array.length + " bytes).", e);
        }
    }
}
