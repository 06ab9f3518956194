/**
 * Moves between municipalities (issue 13, item 6: exposures as of the index date). A person's
 * residence, and so the centrality of it, changes during the period for a share of the population;
 * the registry writes the history to `residences` (Folkeregisteret's address history) and the
 * latest municipality to `persons`. The planted rural effect uses the residence on the index date,
 * so an analysis that took the end-of-extract residence would misclassify the movers.
 * A mover keeps their GP list (many do at first; the list switch is drawn separately).
 */

/** Share of persons who move to another municipality once during the data period (ASSUMPTION: SSB counts about 4 % of the population moving between municipalities each year). */
export const MOVE_SHARE = 0.2;
