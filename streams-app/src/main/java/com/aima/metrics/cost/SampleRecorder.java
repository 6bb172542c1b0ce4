package com.aima.metrics.cost;

import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/** Keeps the repartitioned {@link DeviceSample}s in the sample store and advances the engine's clock by them. */
final class SampleRecorder implements Processor<String, DeviceSample, Void, Void> {

    private CostStores stores;
    private ProcessorContext<Void, Void> context;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        this.context = context;
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
        EngineClock.observe(stores.ledger, sample.timeMs(), context.currentSystemTimeMs());
    }
}
