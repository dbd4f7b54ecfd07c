package dev.pricelake.core;

import java.util.List;

/** Port to the news mentions table ({@code article_tickers}) that a "top-N most mentioned" run selects from. */
public interface MentionsSource {
    /** The {@code count} tickers with the most articles, each with at least {@code minArticles}; ties by ticker. */
    List<Ticker> topMentioned(int count, int minArticles);
}
