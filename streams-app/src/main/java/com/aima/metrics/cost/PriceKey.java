package com.aima.metrics.cost;

import java.util.Locale;
import java.util.Objects;

/**
 * What a GPU-hour is priced by: the provider ({@value #LOCAL} for own GPUs, otherwise a cloud provider's id such as
 * {@code aws}), the GPU model as NVML names it, and the pricing model ({@code on_demand}, {@code spot},
 * {@code reserved}; {@value #OWNED} for local GPUs). Provider and pricing model are lower case; the GPU type keeps its
 * case but is matched case-insensitively.
 */
public record PriceKey(String provider, String gpuType, String pricingModel) {

    /** The provider id of the platform's own GPUs. */
    public static final String LOCAL = "local";
    /** The pricing model of own GPUs: amortised hardware plus measured electricity. */
    public static final String OWNED = "owned";
    /** The pricing model assumed for a cloud job that names none. */
    public static final String ON_DEMAND = "on_demand";

    public PriceKey {
        Objects.requireNonNull(provider, "provider");
        Objects.requireNonNull(gpuType, "gpuType");
        Objects.requireNonNull(pricingModel, "pricingModel");
        provider = provider.trim().toLowerCase(Locale.ROOT);
        gpuType = gpuType.trim();
        pricingModel = pricingModel.trim().toLowerCase(Locale.ROOT);
    }

    /**
     * The key of a job event's fields. A missing pricing model is {@value #OWNED} for {@value #LOCAL} and
     * {@value #ON_DEMAND} for cloud providers; a missing provider or GPU type gives null (the job is unpriced).
     */
    public static PriceKey of(String provider, String gpuType, String pricingModel) {
        if (provider == null || provider.isBlank() || gpuType == null || gpuType.isBlank()) {
            return null;
        }
        String model = pricingModel != null && !pricingModel.isBlank() ? pricingModel
                : LOCAL.equalsIgnoreCase(provider.trim()) ? OWNED : ON_DEMAND;
        return new PriceKey(provider, gpuType, model);
    }

    /** Whether this is an own GPU, priced by amortisation and measured energy. */
    public boolean local() {
        return LOCAL.equals(provider);
    }

    /** The GPU type as compared: lower case. */
    public String gpuTypeKey() {
        return gpuTypeKey(gpuType);
    }

    /** {@code gpuType} as compared: trimmed, lower case; "unknown" for null. */
    public static String gpuTypeKey(String gpuType) {
        return gpuType == null ? "unknown" : gpuType.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return provider + "/" + gpuType + "/" + pricingModel;
    }
}
