package dev.pricelake.catalog;

/** What a function is granted beyond running; each becomes one grant* call in CDK and one environment setting. */
public enum Need {
    PROGRESS, LAKE_READ, LAKE_WRITE, POLYGON, DATABASE
}
