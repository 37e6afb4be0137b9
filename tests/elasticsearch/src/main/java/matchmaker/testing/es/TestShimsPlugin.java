package matchmaker.testing.es;

import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ar.ArabicAnalyzer;
import org.apache.lucene.analysis.ar.ArabicNormalizationFilter;
import org.apache.lucene.analysis.cjk.CJKAnalyzer;
import org.apache.lucene.analysis.cjk.CJKBigramFilter;
import org.apache.lucene.analysis.cjk.CJKWidthFilter;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.es.SpanishAnalyzer;
import org.apache.lucene.analysis.fr.FrenchAnalyzer;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.elasticsearch.cluster.metadata.IndexNameExpressionResolver;
import org.elasticsearch.cluster.node.DiscoveryNodes;
import org.elasticsearch.cluster.service.ClusterService;
import org.elasticsearch.common.io.stream.NamedWriteableRegistry;
import org.elasticsearch.common.settings.ClusterSettings;
import org.elasticsearch.common.settings.IndexScopedSettings;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.common.settings.SettingsFilter;
import org.elasticsearch.env.Environment;
import org.elasticsearch.features.NodeFeature;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.AbstractTokenFilterFactory;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.elasticsearch.plugins.ActionPlugin;
import org.elasticsearch.plugins.AnalysisPlugin;
import org.elasticsearch.plugins.Plugin;
import org.elasticsearch.rest.RestController;
import org.elasticsearch.rest.RestHandler;

/**
 * Test-only plugin for the Elasticsearch "integ-test-zip" distribution, which
 * ships the server without the analysis-common and rest-root modules.
 *
 * It registers, under the names the default distribution uses, the language
 * analyzers the project needs (built from the same Lucene classes, honouring
 * the "stopwords"/"stopwords_path" and "stem_exclusion" settings), a few
 * token filters, and GET / and HEAD / (so client.info() and client.ping()
 * work). Nothing here is meant for production.
 */
public class TestShimsPlugin extends Plugin implements AnalysisPlugin, ActionPlugin {

    private final java.util.concurrent.atomic.AtomicReference<ClusterService> clusterService =
        new java.util.concurrent.atomic.AtomicReference<>();

    @Override
    public java.util.Collection<?> createComponents(PluginServices services) {
        clusterService.set(services.clusterService());
        return List.of();
    }

    // ---- analyzers ---------------------------------------------------------

    /** An analyzer built from (stopwords, stem exclusions), like analysis-common's providers. */
    static final class LanguageAnalyzerProvider<T extends Analyzer> extends AbstractIndexAnalyzerProvider<T> {
        private final T analyzer;

        LanguageAnalyzerProvider(String name, Settings settings, T analyzer) {
            super(name, settings);
            this.analyzer = analyzer;
        }

        @Override
        public T get() {
            return analyzer;
        }
    }

    private static <T extends Analyzer> AnalysisProvider<AnalyzerProvider<? extends Analyzer>> language(
        CharArraySet defaultStopWords,
        BiFunction<CharArraySet, CharArraySet, T> build
    ) {
        return (IndexSettings indexSettings, Environment env, String name, Settings settings) -> {
            CharArraySet stopWords = Analysis.parseStopWords(env, settings, defaultStopWords);
            CharArraySet stemExclusion = Analysis.parseStemExclusion(settings, CharArraySet.EMPTY_SET);
            T analyzer = build.apply(stopWords, stemExclusion);
            return new LanguageAnalyzerProvider<>(name, settings, analyzer);
        };
    }

    @Override
    public Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> getAnalyzers() {
        return Map.of(
            "arabic", language(ArabicAnalyzer.getDefaultStopSet(), ArabicAnalyzer::new),
            "cjk", language(CJKAnalyzer.getDefaultStopSet(), (stop, stemExclusion) -> new CJKAnalyzer(stop)),
            "english", language(EnglishAnalyzer.ENGLISH_STOP_WORDS_SET, EnglishAnalyzer::new),
            "french", language(FrenchAnalyzer.getDefaultStopSet(), FrenchAnalyzer::new),
            "russian", language(RussianAnalyzer.getDefaultStopSet(), RussianAnalyzer::new),
            "spanish", language(SpanishAnalyzer.getDefaultStopSet(), SpanishAnalyzer::new)
        );
    }

    // ---- token filters -----------------------------------------------------

    static final class SimpleFilterFactory extends AbstractTokenFilterFactory implements NormalizingTokenFilterFactory {
        private final Function<TokenStream, TokenStream> filter;

        SimpleFilterFactory(String name, Settings settings, Function<TokenStream, TokenStream> filter) {
            super(name, settings);
            this.filter = filter;
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            return filter.apply(tokenStream);
        }
    }

    /** cjk_bigram is not a normalizing filter (it changes token boundaries). */
    static final class BigramFilterFactory extends AbstractTokenFilterFactory {
        private final boolean outputUnigrams;

        BigramFilterFactory(String name, Settings settings) {
            super(name, settings);
            this.outputUnigrams = settings.getAsBoolean("output_unigrams", false);
        }

        @Override
        public TokenStream create(TokenStream tokenStream) {
            int flags = CJKBigramFilter.HAN | CJKBigramFilter.HIRAGANA | CJKBigramFilter.KATAKANA | CJKBigramFilter.HANGUL;
            return new CJKBigramFilter(tokenStream, flags, outputUnigrams);
        }
    }

    @Override
    public Map<String, AnalysisProvider<TokenFilterFactory>> getTokenFilters() {
        return Map.of(
            "asciifolding", (indexSettings, env, name, settings) -> {
                boolean preserveOriginal = settings.getAsBoolean("preserve_original", false);
                return new SimpleFilterFactory(name, settings, ts -> new ASCIIFoldingFilter(ts, preserveOriginal));
            },
            "cjk_width", (indexSettings, env, name, settings) -> new SimpleFilterFactory(name, settings, CJKWidthFilter::new),
            "arabic_normalization",
            (indexSettings, env, name, settings) -> new SimpleFilterFactory(name, settings, ArabicNormalizationFilter::new),
            "cjk_bigram", (indexSettings, env, name, settings) -> new BigramFilterFactory(name, settings)
        );
    }

    // ---- GET / and HEAD / --------------------------------------------------

    @Override
    public java.util.Collection<RestHandler> getRestHandlers(
        Settings settings,
        NamedWriteableRegistry namedWriteableRegistry,
        RestController restController,
        ClusterSettings clusterSettings,
        IndexScopedSettings indexScopedSettings,
        SettingsFilter settingsFilter,
        IndexNameExpressionResolver indexNameExpressionResolver,
        Supplier<DiscoveryNodes> nodesInCluster,
        Predicate<NodeFeature> clusterSupportsFeature
    ) {
        return List.of(new RestRootAction(settings, clusterService::get));
    }
}
