package com.aima.metrics.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.aima.metrics.cost.CostViews.View;
import com.aima.metrics.rollup.RollupConfig;
import com.aima.metrics.rollup.Tier;
import com.aima.metrics.rollup.WindowScheme;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParametersTest {

    static final Function<Tier, WindowScheme> WINDOWS = tier -> new RollupConfig(Map.of()).window(tier);
    static final int LIMIT_DEFAULT = 100;
    static final int LIMIT_MAX = 1000;
    static final Instant NOW = Instant.parse("2026-12-08T12:34:56.789Z");

    private final QueryParameters parameters = new QueryParameters(LIMIT_DEFAULT, LIMIT_MAX, 20_000, WINDOWS);

    private MetricQuery raw(String rawQuery) {
        return parameters.parse("gpu_util", QueryParameters.split(rawQuery), false, NOW);
    }

    private MetricQuery aggregated(String rawQuery) {
        return parameters.parse("gpu_util", QueryParameters.split(rawQuery), true, NOW);
    }

    /** The refusal {@code call} throws: always a 400 naming {@code parameter}. */
    private static ApiException badParameter(ThrowingCallable call, String parameter) {
        ApiException e = catchThrowableOfType(call, ApiException.class);
        assertThat(e).as("refusal").isNotNull();
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.parameter()).isEqualTo(parameter);
        return e;
    }

    private static long ms(String time) {
        return Instant.parse(time).toEpochMilli();
    }

    // split

    @Test
    void splitDecodesPercentEncodingOfNamesAndValues() {
        assertThat(QueryParameters.split("labels=gpu%3D0%2Cnode%3Dn1&start_time=2026-12-08T11%3A00%3A00%2B01%3A00"
                + "&%6Cimit=5")).containsExactly(
                Map.entry("labels", "gpu=0,node=n1"),
                Map.entry("start_time", "2026-12-08T11:00:00+01:00"),
                Map.entry("limit", "5"));
    }

    @Test
    void splitReadsAPlusAsASpaceAsFormsDo() {
        assertThat(QueryParameters.split("labels=job%3Dmy+job")).containsExactly(Map.entry("labels", "job=my job"));
    }

    @Test
    void splitSkipsEmptyPairsAndTakesANameWithoutValueAsEmpty() {
        assertThat(QueryParameters.split(null)).isEmpty();
        assertThat(QueryParameters.split("")).isEmpty();
        assertThat(QueryParameters.split("&&limit=5&&match&")).containsExactly(Map.entry("limit", "5"),
                Map.entry("match", ""));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=1&limit=2", "limit=1&limit=1", "limit=1&%6Cimit=2", "match=exact&labels=a%3D1&match"})
    void splitRefusesARepeatedParameter(String rawQuery) {
        String name = rawQuery.startsWith("limit") ? "limit" : "match";
        ApiException e = badParameter(() -> QueryParameters.split(rawQuery), name);
        assertThat(e).hasMessageContaining("'" + name + "'");
    }

    @Test
    void splitRefusesBrokenPercentEncodingNamingTheParameterAndValue() {
        ApiException e = badParameter(() -> QueryParameters.split("limit=5&start_time=2026%zz"), "start_time");
        assertThat(e).hasMessageContaining("start_time").hasMessageContaining("2026%zz");
    }

    // metric

    @ParameterizedTest
    @ValueSource(strings = {"gpu_util", "_x", "job:inference_time_ms", "GPU2"})
    void metricAcceptsPrometheusNames(String name) {
        assertThat(QueryParameters.metric(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"9gpu", "gpu-util", "gpu util", "gpu{}", "gpu.util", ""})
    void metricRefusesOtherNames(String name) {
        ApiException e = badParameter(() -> QueryParameters.metric(name), "metric_name");
        assertThat(e).hasMessageContaining("'" + name + "'");
    }

    @Test
    void parseRefusesAnInvalidMetricName() {
        ApiException e = badParameter(() -> parameters.parse("9gpu", Map.of(), false, NOW), "metric_name");
        assertThat(e).hasMessageContaining("9gpu");
        badParameter(() -> parameters.parse("gpu-util", Map.of(), true, NOW), "metric_name");
    }

    // refusals of parse

    static Stream<Arguments> refusals() {
        return Stream.of(
                // rawQuery, aggregated, parameter, what the message must name
                Arguments.of("start_time=yesterday", false, "start_time", List.of("start_time", "yesterday")),
                Arguments.of("start_time=2026-13-01T00%3A00%3A00Z", false, "start_time",
                        List.of("start_time", "2026-13-01T00:00:00Z")),
                Arguments.of("end_time=2026-12-08T10%3A00%3A00", true, "end_time",
                        List.of("end_time", "2026-12-08T10:00:00")),
                Arguments.of("end_time=1733652000000", false, "end_time", List.of("end_time", "1733652000000")),
                Arguments.of("start_time=2026-12-08T10%3A00%3A00Z&end_time=2026-12-08T09%3A00%3A00Z", false,
                        "end_time", List.of("end_time", "start_time", "2026-12-08T09:00:00Z", "2026-12-08T10:00:00Z")),
                Arguments.of("start_time=2026-12-08T10%3A00%3A00Z&end_time=2026-12-08T10%3A00%3A00Z", true,
                        "end_time", List.of("end_time", "start_time", "2026-12-08T10:00:00Z")),
                Arguments.of("start_time=2026-12-08T10%3A00%3A00Z&end_time=2026-12-08T11%3A00%3A00%2B01%3A00", false,
                        "end_time", List.of("end_time", "start_time", "2026-12-08T10:00:00Z")),
                // a start after the default end (now)
                Arguments.of("start_time=2026-12-08T13%3A00%3A00Z", false, "end_time",
                        List.of("end_time", "start_time", "2026-12-08T13:00:00Z", NOW.toString())),
                Arguments.of("interval=5m", true, "interval", List.of("interval", "5m")),
                Arguments.of("interval=1H", true, "interval", List.of("interval", "1H")),
                Arguments.of("interval=", true, "interval", List.of("interval", "''")),
                Arguments.of("interval=1h", false, "interval", List.of("interval")),
                Arguments.of("labels=gpu", false, "labels", List.of("labels", "gpu")),
                Arguments.of("labels==1", false, "labels", List.of("labels", "=1")),
                Arguments.of("labels=9a%3D1", false, "labels", List.of("labels", "9a=1")),
                Arguments.of("labels=gpu%3D0%2C", false, "labels", List.of("labels", "gpu=0,")),
                Arguments.of("labels=gpu-id%3D0", true, "labels", List.of("labels", "gpu-id=0")),
                Arguments.of("labels=gpu%3D0%2Cnode%3Dn1%2Cgpu%3D1", false, "labels",
                        List.of("labels", "gpu=0,node=n1,gpu=1", "'gpu'")),
                Arguments.of("limit=0", false, "limit", List.of("limit", "0")),
                Arguments.of("limit=-5", true, "limit", List.of("limit", "-5")),
                Arguments.of("limit=1001", false, "limit", List.of("limit", "1001", "1000")),
                Arguments.of("limit=ten", false, "limit", List.of("limit", "ten")),
                Arguments.of("limit=1.5", false, "limit", List.of("limit", "1.5")),
                Arguments.of("limit=99999999999", true, "limit", List.of("limit", "99999999999")),
                Arguments.of("lables=gpu%3D0", false, "lables", List.of("lables")),
                Arguments.of("limit=5&from=2026-12-08T10%3A00%3A00Z", true, "from", List.of("from")),
                Arguments.of("match=other", false, "match", List.of("match", "other")),
                Arguments.of("match=EXACT", true, "match", List.of("match", "EXACT")));
    }

    @ParameterizedTest(name = "[{index}] {0} (aggregated: {1})")
    @MethodSource("refusals")
    void parseRefusesNamingTheParameterAndValue(String rawQuery, boolean aggregated, String parameter,
                                                List<String> named) {
        Map<String, String> split = QueryParameters.split(rawQuery);
        ApiException e = badParameter(() -> parameters.parse("gpu_util", split, aggregated, NOW), parameter);
        for (String text : named) {
            assertThat(e).hasMessageContaining(text);
        }
    }

    // times

    @Test
    void withoutTimesTheRangeIsTheLastHourBeforeNow() {
        MetricQuery query = raw("");
        assertThat(query.fromMs()).isEqualTo(NOW.minus(Duration.ofHours(1)).toEpochMilli());
        assertThat(query.toMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(QueryParameters.DEFAULT_RANGE).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void blankTimesAreTheDefaults() {
        MetricQuery query = raw("start_time=&end_time=+");
        assertThat(query.fromMs()).isEqualTo(NOW.minus(Duration.ofHours(1)).toEpochMilli());
        assertThat(query.toMs()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void onlyAnEndTimeGivesTheHourBeforeIt() {
        MetricQuery query = aggregated("end_time=2026-12-01T10%3A00%3A00Z");
        assertThat(query.fromMs()).isEqualTo(ms("2026-12-01T09:00:00Z"));
        assertThat(query.toMs()).isEqualTo(ms("2026-12-01T10:00:00Z"));
    }

    @Test
    void onlyAStartTimeRunsToNow() {
        MetricQuery query = raw("start_time=2026-12-07T00%3A00%3A00Z");
        assertThat(query.fromMs()).isEqualTo(ms("2026-12-07T00:00:00Z"));
        assertThat(query.toMs()).isEqualTo(NOW.toEpochMilli());
    }

    @Test
    void offsetsAreConvertedToUtc() {
        MetricQuery query = raw("start_time=2026-12-08T11%3A00%3A00%2B01%3A00&end_time=2026-12-08T06%3A30%3A00.250-05%3A00");
        assertThat(query.fromMs()).isEqualTo(ms("2026-12-08T10:00:00Z"));
        assertThat(query.toMs()).isEqualTo(ms("2026-12-08T11:30:00.250Z"));
    }

    @Test
    void anUnencodedPlusInAnOffsetIsReadAsThePlusItWas() {
        // '+' in a query string means a space; an offset is the only place a time can hold one.
        assertThat(raw("start_time=2026-12-08T11:00:00+01:00&end_time=2026-12-08T12:00:00Z").fromMs())
                .isEqualTo(Instant.parse("2026-12-08T10:00:00Z").toEpochMilli());
    }

    // interval

    @Test
    void theIntervalDefaultsToAnHourAndRawQueriesHaveNone() {
        assertThat(aggregated("").tier()).isEqualTo(Tier.HOUR);
        assertThat(raw("").tier()).isNull();
        assertThat(raw("").raw()).isTrue();
        assertThat(aggregated("").raw()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Tier.class)
    void everyTierIsAskedForByItsLabel(Tier tier) {
        assertThat(aggregated("interval=" + tier.label()).tier()).isEqualTo(tier);
    }

    // windows

    @Test
    void anAggregatedRangeOfAtMostMaxWindowsIsServedAndALargerOneRefused() {
        QueryParameters three = new QueryParameters(LIMIT_DEFAULT, LIMIT_MAX, 3, WINDOWS);
        Map<String, String> threeHours = Map.of("start_time", "2026-12-08T10:00:00Z", "end_time",
                "2026-12-08T13:00:00Z");
        assertThat(three.parse("gpu_util", threeHours, true, NOW).fromMs()).isEqualTo(ms("2026-12-08T10:00:00Z"));

        Map<String, String> fourHours = Map.of("start_time", "2026-12-08T10:00:00Z", "end_time",
                "2026-12-08T14:00:00Z");
        ApiException e = badParameter(() -> three.parse("gpu_util", fourHours, true, NOW), "start_time");
        assertThat(e).hasMessageContaining("2026-12-08T10:00:00Z").hasMessageContaining("2026-12-08T14:00:00Z")
                .hasMessageContaining("more than 3 windows of interval 1h");

        Map<String, String> fourHoursOfDays = Map.of("start_time", "2026-12-08T10:00:00Z", "end_time",
                "2026-12-08T14:00:00Z", "interval", "1d");
        assertThat(three.parse("gpu_util", fourHoursOfDays, true, NOW).tier()).isEqualTo(Tier.DAY);
    }

    @Test
    void calendarWindowsAreCountedToo() {
        QueryParameters three = new QueryParameters(LIMIT_DEFAULT, LIMIT_MAX, 3, WINDOWS);
        Map<String, String> threeMonths = Map.of("start_time", "2026-01-01T00:00:00Z", "end_time",
                "2026-04-01T00:00:00Z", "interval", "1mo");
        assertThat(three.parse("gpu_util", threeMonths, true, NOW).tier()).isEqualTo(Tier.MONTH);

        Map<String, String> halfAYear = Map.of("start_time", "2026-01-01T00:00:00Z", "end_time",
                "2026-07-01T00:00:00Z", "interval", "1mo");
        badParameter(() -> three.parse("gpu_util", halfAYear, true, NOW), "start_time");
    }

    @Test
    void twelveCalendarMonthsAreTwelveWindows() {
        QueryParameters twelve = new QueryParameters(LIMIT_DEFAULT, LIMIT_MAX, 12, WINDOWS);
        Map<String, String> aYearFromFebruary = Map.of("start_time", "2026-02-01T00:00:00Z", "end_time",
                "2027-02-01T00:00:00Z", "interval", "1mo");
        assertThat(twelve.parse("gpu_util", aYearFromFebruary, true, NOW).tier()).isEqualTo(Tier.MONTH);
    }

    @Test
    void rawQueriesHaveNoWindowLimit() {
        QueryParameters one = new QueryParameters(LIMIT_DEFAULT, LIMIT_MAX, 1, WINDOWS);
        Map<String, String> tenHours = Map.of("start_time", "2026-12-08T00:00:00Z", "end_time",
                "2026-12-08T10:00:00Z");
        assertThat(one.parse("gpu_util", tenHours, false, NOW).toMs()).isEqualTo(ms("2026-12-08T10:00:00Z"));
    }

    // labels, limit, match

    @Test
    void labelsAreParsed() {
        assertThat(raw("").labels()).isEmpty();
        assertThat(raw("labels=gpu%3D0%2Cnode%3Dn1").labels()).isEqualTo(Map.of("gpu", "0", "node", "n1"));
        assertThat(aggregated("labels=gpu_uuid%3DGPU-1%2Cjob%3D").labels())
                .isEqualTo(Map.of("gpu_uuid", "GPU-1", "job", ""));
    }

    @Test
    void aLabelValueKeepsEverythingAfterTheFirstEquals() {
        assertThat(raw("labels=query%3Da%3Db%3D%3D%2Cgpu%3D0").labels())
                .isEqualTo(Map.of("query", "a=b==", "gpu", "0"));
    }

    @Test
    void theLimitDefaultsAndMayBeAnythingFromOneToTheMaximum() {
        assertThat(raw("").limit()).isEqualTo(LIMIT_DEFAULT);
        assertThat(raw("limit=1").limit()).isEqualTo(1);
        assertThat(aggregated("limit=" + LIMIT_MAX).limit()).isEqualTo(LIMIT_MAX);
        assertThat(raw("limit=%207%20").limit()).isEqualTo(7);
    }

    @Test
    void matchIsSubsetUnlessExact() {
        assertThat(raw("labels=gpu%3D0").exact()).isFalse();
        assertThat(raw("labels=gpu%3D0&match=subset").exact()).isFalse();
        MetricQuery exact = aggregated("labels=gpu%3D0&match=exact");
        assertThat(exact.exact()).isTrue();
        assertThat(exact.exactSeries()).isEqualTo("gpu_util{gpu=\"0\"}");
    }

    @Test
    void aWholeQueryIsParsed() {
        MetricQuery query = aggregated("start_time=2026-12-01T00%3A00%3A00Z&end_time=2026-12-08T00%3A00%3A00Z"
                + "&interval=1d&labels=node%3Dn1&limit=50&match=subset");
        assertThat(query).isEqualTo(new MetricQuery("gpu_util", Tier.DAY, Map.of("node", "n1"), false,
                ms("2026-12-01T00:00:00Z"), ms("2026-12-08T00:00:00Z"), 50));
    }

    // costs

    private CostQuery costs(View view, String rawQuery) {
        return parameters.parseCosts(view, QueryParameters.split(rawQuery), NOW);
    }

    @Test
    void aCostQueryCoversTheLastDayByDefaultAndFiltersNothing() {
        CostQuery query = costs(View.JOBS, "");

        assertThat(query.toMs()).isEqualTo(NOW.toEpochMilli());
        assertThat(query.fromMs()).isEqualTo(NOW.minus(Duration.ofDays(1)).toEpochMilli());
        assertThat(query.limit()).isEqualTo(LIMIT_DEFAULT);
        assertThat(query.project()).isNull();
        assertThat(query.analysisType()).isNull();
        assertThat(query.labels()).isEmpty();
    }

    @Test
    void aCostQueryTakesItsFiltersAndAnAnalysisTypeInAnyCase() {
        CostQuery query = costs(View.PROVIDER_OPTIONS, "start_time=2026-12-01T00:00:00Z&end_time=2026-12-02T00:00:00Z"
                + "&project=news&job_id=j%201&provider=aws&gpu_type=NVIDIA%20L4&analysis_type=Video"
                + "&labels=pricing_model=spot&limit=7");

        assertThat(query).isEqualTo(new CostQuery(View.PROVIDER_OPTIONS, ms("2026-12-01T00:00:00Z"),
                ms("2026-12-02T00:00:00Z"), "news", "j 1", "aws", "NVIDIA L4", "VIDEO",
                Map.of("pricing_model", "spot"), 7));
        // what one instance asks another is the same query
        assertThat(costs(View.PROVIDER_OPTIONS, query.toQueryString())).isEqualTo(query);
    }

    @Test
    void badCostParametersAreRefusedNamingTheParameter() {
        assertThat(badParameter(() -> costs(View.JOBS, "analysis_type=podcast"), "analysis_type").getMessage())
                .contains("podcast").contains("video, image, audio");
        assertThat(badParameter(() -> costs(View.JOBS, "project="), "project").getMessage()).contains("empty");
        assertThat(badParameter(() -> costs(View.JOBS, "interval=1h"), "interval").getMessage())
                .contains("Unknown parameter").contains("analysis_type");
        badParameter(() -> costs(View.BUDGETS, "start_time=2026-12-02T00:00:00Z&end_time=2026-12-01T00:00:00Z"),
                "end_time");
        badParameter(() -> costs(View.BUDGETS, "limit=" + (LIMIT_MAX + 1)), "limit");
        badParameter(() -> costs(View.BUDGETS, "labels=budget_period"), "labels");
    }
}
