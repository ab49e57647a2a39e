/// Every tunable table of the extractor: class/id keywords, phrases and weights.
///
/// Keywords are matched as substrings of the lower-cased `class` and `id` values (and `role`,
/// `itemprop`), so `related` also matches `related-posts` and `yarpp-related`. Phrases are
/// matched against whole lines after whitespace is collapsed.
enum Heuristics {
    // MARK: tags and roles

    /// Elements that never hold article text: skipped with everything inside. (`form` is not
    /// here: some sites wrap the whole page in one.)
    static let neverContentTags: [Tag] = [
        .script, .style, .noscript, .template, .svg, .math, .iframe, .object, .embed, .canvas, .audio, .video,
        .select, .option, .button, .input, .textarea, .head, .title, .nav, .aside, .footer, .frameset, .frame,
        .noembed, .noframes, .keygen, .meta, .link, .base, .source, .track, .param, .area, .label, .dialog,
    ]

    /// Containers inside the body that are checked for furniture (link density, class/id, lists).
    static let cleanedContainers: Set<Tag> = [
        .div, .section, .ul, .ol, .table, .figure, .header, .dl, .form, .aside, .center, .span, .figcaption,
        .blockquote, .details, .menu, .p,
    ]

    /// ARIA roles of page furniture.
    static let furnitureRoles: Set<String> = [
        "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "dialog", "alert", "search",
        "toolbar", "tablist",
    ]

    /// ARIA roles of the main content.
    static let contentRoles: Set<String> = ["main", "article"]

    // MARK: class / id keywords

    /// Containers that are page furniture whatever they hold (unless a positive keyword also matches).
    static let unlikelyKeywords: [String] = [
        "-ad-", "ad-break", "adsbygoogle", "advert", "agegate", "banner", "breadcrumb", "combx", "comment",
        "community", "cookie", "disqus", "donate", "dropdown", "footer", "gdpr", "header", "jump-to",
        "legends", "login", "masthead", "menu", "modal", "most-popular", "mostpopular", "most-read", "mostread",
        "navbar", "navigation", "newsletter", "outbrain", "pagination", "pager", "paywall", "popup", "print-",
        "promo", "recommend", "related", "remark", "replies", "rss", "share", "sharing", "shoutbox", "sidebar",
        "signup", "skip-link", "skyscraper", "social", "sponsor", "subscribe", "subscription", "supplemental",
        "taboola", "toolbar", "tooltip", "topbar", "trending", "widget", "yarpp", "read-also", "readalso",
        "also-read", "read-more", "readmore", "more-news", "morenews", "latest-news", "iqraa", "aqraa",
        "go-to-top", "gotop", "back-to-top", "backtotop", "scroll-top", "whatsapp", "telegram", "follow-us",
        "followus", "author-box", "authorbox", "author-bio", "post-tags", "tagcloud", "tags-list", "entry-tags",
        "post-navigation", "nav-links", "next-post", "prev-post", "stream-item", "mag-box", "ad-container",
        "ads-", "-ads", "dfp", "googletag", "rating", "reactions", "emoji", "byline", "dateline",
        "timestamp", "post-meta", "entry-meta", "article-meta", "caption", "credit", "share-buttons", "sr-only",
        "screen-reader", "visually-hidden", "visuallyhidden", "offscreen", "video-", "player", "gallery",
        "slideshow", "carousel", "slider", "inline-related", "see-also", "seealso", "more-stories", "readnext",
        "read-next", "up-next", "upnext", "onward", "further-reading", "listen", "audio", "podcast-promo",
    ]

    /// Containers that look like the article itself; they cancel an unlikely match.
    static let likelyKeywords: [String] = [
        "article", "body", "content", "entry", "main", "post", "story", "text", "column", "shadow", "hentry",
        "h-entry", "blog", "news-details", "details", "matn", "maqal", "khabar",
    ]

    /// Score-lowering keywords (weight −25).
    static let negativeKeywords: [String] = [
        "-ad-", "banner", "combx", "comment", "com-", "contact", "footer", "gdpr", "masthead", "media", "meta",
        "outbrain", "promo", "related", "scroll", "share", "shoutbox", "sidebar", "skyscraper", "sponsor",
        "shopping", "tags", "widget", "social", "nav", "menu", "subscribe", "newsletter", "byline", "author",
        "caption", "photo", "credit", "teaser", "thumb", "list", "breadcrumb", "header", "popular",
    ]

    /// Score-raising keywords (weight +25).
    static let positiveKeywords: [String] = [
        "article", "body", "content", "entry", "hentry", "h-entry", "main", "page", "post", "text", "blog",
        "story", "articlebody", "article-body", "article_body", "post-body", "entry-content", "news-text",
        "matn", "details", "paragraph", "rich-text", "richtext",
    ]

    /// `itemprop` values that mark the article body.
    static let bodyItemprops: [String] = ["articlebody", "text", "reviewbody", "description-long"]

    // MARK: line phrases

    /// Lines starting with one of these (case-insensitive) are furniture when short.
    static let furniturePrefixes: [String] = [
        // Arabic
        "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "اقرا ايضا", "اقرأ ايضا", "إقرأ ايضا", "اقرأ المزيد",
        "إقرأ المزيد", "اقرأ كذلك", "شاهد أيضا", "شاهد أيضاً", "شاهد ايضا", "طالع أيضا", "طالع أيضاً", "مقالات ذات صلة",
        "أخبار ذات صلة", "اخبار ذات صلة", "مواضيع ذات صلة", "موضوعات ذات صلة", "ذات صلة", "زر الذهاب إلى الأعلى",
        "الذهاب إلى الأعلى", "اشترك في النشرة", "اشترك في نشرتنا", "اشترك الآن", "سجل بنشرة", "سجّل في النشرة",
        "اشترك في قناتنا", "تابعونا على", "تابعوا", "تابعنا على", "تابعونا", "شارك هذا", "شارك المقال", "شارك الخبر",
        "شاركها", "انشر على", "اترك تعليقا", "اترك تعليقاً", "أضف تعليق", "أضف تعليقك", "عبّر عن رأيك", "عبَّر عن رأيك",
        "عبر عن رأيك", "إحرص أن يكون تعليقك", "احرص أن يكون تعليقك",
        "لزيارة موقع", "بالنقر على زر", "الأكثر قراءة", "الأكثر مشاهدة", "أخبار متعلقة", "المزيد من الأخبار",
        "كلمات مفتاحية", "الكلمات المفتاحية", "مواضيع متعلقة", "تاريخ النشر",
        "آخر تحديث", "حقوق النشر", "جميع الحقوق محفوظة", "اضغط هنا", "انقر هنا", "للمزيد من الأخبار", "ترشيحاتنا",
        "قد يعجبك أيضا", "قد يعجبك أيضاً", "قد يهمك أيضا", "قد يهمك أيضاً", "ننصحك بقراءة", "مصدر الصورة",
        "حمل تطبيق", "حمّل تطبيق", "لمتابعة آخر الأخبار", "للاشتراك في",
        // English and other Latin-script sites
        "read more", "read also", "also read", "see also", "related:", "related articles", "related stories",
        "related coverage", "related content", "related posts", "related news", "more from", "more on this",
        "recommended", "you may also like", "you might also like", "share this", "share on", "share article",
        "follow us", "sign up", "subscribe", "newsletter", "get our newsletter", "click here",
        "story continues below", "continue reading", "scroll to continue", "leave a comment",
        "post a comment", "add a comment", "join the conversation", "back to top", "copyright", "©",
        "all rights reserved", "trending now", "most read", "most popular", "don't miss", "watch:", "listen:",
        "click to share", "print this", "email this", "tags:", "filed under", "sponsored", "image:", "photo:",
        "image source", "image caption", "getty images", "lire aussi", "à lire aussi", "lesen sie auch",
        "leer también", "lea también", "leia também", "leggi anche", "this slideshow requires javascript",
        "tell us what you think", "você pode gostar", "veja também", "leia mais", "vous aimerez aussi",
        "te puede interesar", "potrebbe interessarti", "das könnte sie auch interessieren", "weiterlesen",
    ]

    /// Lines that are furniture when they are nothing else (compared without case, digits,
    /// punctuation or surrounding spaces), e.g. "Advertisement", "23 Comments", "إعلان".
    static let furnitureLines: Set<String> = [
        "advertisement", "advertisements", "advert", "ad", "ads", "sponsored", "comments", "comment", "share",
        "shares", "tweet", "print", "email", "e-mail", "related", "tags", "topics", "more", "loading", "close",
        "menu", "search", "min read", "minute read", "mins read", "minutes read", "إعلان", "اعلان", "إعلانات",
        "تعليقات", "التعليقات", "تعليق", "مشاركة", "شارك", "شاركها", "ذات صلة", "الوسوم", "وسوم", "كلمات مفتاحية",
        "طباعة", "المزيد", "تابعنا", "تابعونا", "د", "دقيقة", "دقائق", "دقيقة قراءة", "دقائق قراءة",
        "publicidade", "publicité", "anzeige", "werbung", "publicidad", "pubblicità", "реклама",
        // Relative times and photo credits left over from the article header and images.
        "hours ago", "hour ago", "minutes ago", "minute ago", "days ago", "day ago", "منذ ساعة", "منذ ساعتين",
        "منذ ساعات", "منذ دقيقة", "منذ دقائق", "منذ يوم", "منذ يومين", "منذ أيام", "صورة", "الصورة", "صورة أرشيفية",
        "أرشيفية", "صورة تعبيرية", "تعبيرية", "صورة من الأرشيف", "photo", "file photo", "image", "video", "فيديو",
    ]

    /// A furniture line is dropped only when it is at most this many characters (so a real sentence
    /// that happens to start with "Recommended" survives).
    static let furnitureLineMaxCharacters = 90

    /// Lines that end an article: the first such line after the body ends it (the rest is
    /// "read also" blocks or comments).
    static let stopPrefixes: [String] = [
        "اقرأ أيضا", "اقرأ أيضاً", "إقرأ أيضا", "إقرأ أيضاً", "اقرأ ايضا", "إقرأ ايضا", "مقالات ذات صلة",
        "أخبار ذات صلة", "اخبار ذات صلة", "زر الذهاب إلى الأعلى", "اترك تعليقا", "اترك تعليقاً", "عبّر عن رأيك",
        "عبَّر عن رأيك", "عبر عن رأيك", "related articles", "related stories", "leave a comment", "post a comment",
        "recommended for you", "you may also like", "you might also like", "você pode gostar",
        "vous aimerez aussi", "te puede interesar", "potrebbe interessarti", "das könnte sie auch interessieren",
    ]

    /// Byline openers: such a line among the first three, and short, is the byline, not the body.
    static let bylinePrefixes: [String] = [
        "by ", "posted by", "written by", "published by", "publicado por", "escrito por",
        "بقلم", "كتب:", "كتبت:", "تحرير:", "إعداد:", "المحرر:", "من:",
    ]
    static let bylineMaxCharacters = 80

    /// A stop line ends the article when at least this share of the body precedes it and plain
    /// text (not links) follows it.
    static let stopMinimumShare = 0.15
    /// A stop line this far into the body ends it whatever follows.
    static let stopAlwaysShare = 0.5
    /// … and only when it is a heading-like label, not a sentence or a linked headline.
    static let stopLineMaxCharacters = 40

    // MARK: weights

    /// Class/id weight of a positive or negative match (as in readability).
    static let classWeight = 25.0
    /// Tag base scores for candidate containers.
    static func baseScore(_ tag: Tag) -> Double {
        switch tag {
        case .div, .article, .main, .section: 5
        case .pre, .td, .blockquote: 3
        case .address, .ol, .ul, .dl, .dd, .dt, .li, .form: -3
        case .h1, .h2, .h3, .h4, .h5, .h6, .th: -5
        default: 0
        }
    }
    /// Other candidates scoring at least this share of the best one are "alternatives".
    static let alternativeShare: Float = 0.5
    /// The winner climbs to the nearest ancestor holding this many alternatives (or all of them).
    static let alternativesToClimb = 2
    /// Extra score for `<article>`, `<main>` and `itemprop=articleBody` containers.
    static let semanticBonus = 25.0
}
