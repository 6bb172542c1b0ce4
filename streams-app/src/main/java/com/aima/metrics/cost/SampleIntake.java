package com.aima.metrics.cost;

import com.aima.metrics.schema.MetricEvent;
import com.aima.metrics.streams.Decoding;
import com.aima.metrics.streams.Decoding.UndecodableException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Picks from the raw topic what costs are charged by: each GPU's energy counter ({@value DeviceSample#ENERGY_METRIC})
 * and each process's SM utilization ({@value DeviceSample#PROCESS_SM_METRIC}), keyed by the GPU's UUID (label
 * {@code gpu_uuid}). Everything else is skipped; undecodable records are the rollups' to dead-letter.
 */
final class SampleIntake implements Processor<String, byte[], String, DeviceSample> {

    private final Deserializer<MetricEvent> deserializer;
    private ProcessorContext<String, DeviceSample> context;

    SampleIntake(Deserializer<MetricEvent> deserializer) {
        this.deserializer = deserializer;
    }

    @Override
    public void init(ProcessorContext<String, DeviceSample> context) {
        this.context = context;
    }

    @Override
    public void process(Record<String, byte[]> record) {
        if (record.key() == null || !(record.key().startsWith(DeviceSample.ENERGY_METRIC + "{")
                || record.key().startsWith(DeviceSample.PROCESS_SM_METRIC + "{"))) {
            return; // the series key starts with the metric name: most records are skipped undecoded
        }
        MetricEvent event;
        try {
            event = Decoding.decode(deserializer, context, record);
        } catch (UndecodableException e) {
            return;
        }
        DeviceSample sample = sample(event);
        if (sample != null) {
            context.forward(record.withKey(sample.device()).withValue(sample));
        }
    }

    /** The sample in {@code event}, or null when it is not one or lacks the labels or a finite value. */
    static DeviceSample sample(MetricEvent event) {
        if (event == null || !Double.isFinite(event.getValue())) {
            return null;
        }
        String device = event.getLabels().get("gpu_uuid");
        if (device == null || device.isBlank() || device.chars().anyMatch(Character::isWhitespace)) {
            return null;
        }
        long timeMs = event.getEventTime().toEpochMilli();
        if (event.getName().equals(DeviceSample.ENERGY_METRIC) && !event.getLabels().containsKey("pid")) {
            return new DeviceSample(device, null, timeMs, event.getValue());
        }
        String pid = event.getLabels().get("pid");
        if (event.getName().equals(DeviceSample.PROCESS_SM_METRIC) && pid != null && pid.matches("\\d+")) {
            // a share of SM time outside 0-100 % would give another job a negative or doubled charge
            return new DeviceSample(device, pid, timeMs, Math.max(0, Math.min(100, event.getValue())));
        }
        return null;
    }
}
