package com.aima.metrics.cost;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Keeps the repartitioned {@link DeviceSample}s in the sample store. Samples do not move the engine's clock: they
 * travel on their own repartition topic and may be processed ahead of the job events of the same moment, and a
 * clock they pushed on could close an hour before the STARTED of a job in it is in.
 */
final class SampleRecorder implements Processor<String, DeviceSample, Void, Void> {

    private CostStores stores;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        stores = CostStores.of(context);
    }

    @Override
    public void process(Record<String, DeviceSample> record) {
        DeviceSample sample = record.value();
        if (sample == null) {
            return;
        }
        if (sample.pid() == null) {
            stores.addEnergy(sample.device(), sample.timeMs(), sample.value());
        } else {
            stores.addProcessUse(sample.device(), sample.pid(), sample.timeMs(), sample.value());
        }
    }
}
