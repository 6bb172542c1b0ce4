package com.aima.metrics.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OtlpNamesTest {

    @ParameterizedTest(name = "{0} in ''{1}'' -> {2} in ''{3}''")
    @CsvSource(delimiter = '|', nullValues = "null", emptyValue = "", value = {
        "job.inference.time        | ms       | job_inference_time_ms           | ms",
        "job.wait-time             | s        | job_wait_time_seconds           | seconds",
        "Job.Model.Load.Time       | ms       | job_model_load_time_ms          | ms",
        "job_inference_time_ms     | ms       | job_inference_time_ms           | ms",
        "gpu.memory.used           | By       | gpu_memory_used_bytes           | bytes",
        "job.transfer.rate         | By/s     | job_transfer_rate_bytes_per_second | bytes_per_second",
        "job.frame.rate            | {frame}/s | job_frame_rate_per_second      | per_second",
        "job.gpu.utilization       | %        | job_gpu_utilization_percent     | percent",
        "job.gpu.utilization       | 1        | job_gpu_utilization             | 1",
        "job.queue.length          | {job}    | job_queue_length                | count",
        "job.queue.length          | ''       | job_queue_length                | ''",
        "worker/batch.size         | {frame}  | worker_batch_size               | count",
        "job.kernel.energy         | J        | job_kernel_energy_joules        | joules",
        "job.odd                   | furlong  | job_odd_furlong                 | furlong",
        "job inference time        | ms       | null                            | ms",
        "2xx.count                 | {request} | null                           | count",
    })
    void mapsNamesAndUnits(String otelName, String otelUnit, String name, String unit) {
        assertThat(OtlpNames.metricName(otelName, otelUnit)).isEqualTo(name);
        assertThat(OtlpNames.unit(otelUnit)).isEqualTo(unit);
    }

    @Test
    void makesAttributeKeysLabelNames() {
        assertThat(OtlpNames.labelName("job_id")).isEqualTo("job_id");
        assertThat(OtlpNames.labelName("k8s.pod-name")).isEqualTo("k8s_pod_name");
        assertThat(OtlpNames.labelName("gpu uuid")).isEqualTo("gpu_uuid");
        assertThat(OtlpNames.labelName("0gpu")).isEqualTo("_0gpu");
        assertThat(OtlpNames.labelName("")).isNull();
    }

    @Test
    void stringifiesAttributeValues() {
        assertThat(OtlpNames.labelValue(AnyValue.newBuilder().setStringValue("v").build())).isEqualTo("v");
        assertThat(OtlpNames.labelValue(AnyValue.newBuilder().setIntValue(7).build())).isEqualTo("7");
        assertThat(OtlpNames.labelValue(AnyValue.newBuilder().setDoubleValue(0.5).build())).isEqualTo("0.5");
        assertThat(OtlpNames.labelValue(AnyValue.newBuilder().setBoolValue(true).build())).isEqualTo("true");
        assertThat(OtlpNames.labelValue(AnyValue.newBuilder().setBytesValue(ByteString.copyFromUtf8("hi")).build()))
                .isEqualTo("aGk=");
        assertThat(OtlpNames.labelValue(AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                .addValues(AnyValue.newBuilder().setIntValue(0)).addValues(AnyValue.newBuilder().setIntValue(1)))
                .build())).isEqualTo("[0, 1]");
    }
}
