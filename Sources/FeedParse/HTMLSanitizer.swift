import Markup

/// Cleans HTML from feeds the way feedparser does: script, style and applet go with their
/// content; elements outside a safe list (frames, plugins, unknown tags) are dropped but their
/// content kept; attributes outside a safe list (event handlers included) are dropped, inline
/// styles reduced to safe declarations, `javascript:` / `vbscript:` / `data:` URLs emptied and
/// relative URLs resolved. Output is XHTML-compatible HTML (`<br />`, attributes quoted).
enum HTMLSanitizer {
    /// Elements removed together with their content (active content and document metadata).
    /// SVG and MathML are vetted under their own lists (``sanitizeForeign(_:vocabulary:base:)``).
    static let blockedElements: Set<String> = [
        "script", "style", "applet", "head", "title", "meta", "link", "base", "template", "xml", "param",
    ]

    /// Attributes holding a URL.
    static let urlAttributes: Set<String> = [
        "href", "src", "action", "formaction", "background", "cite", "longdesc", "poster", "lowsrc", "dynsrc",
        "data", "codebase", "usemap", "profile", "manifest", "ping", "srcset",
    ]

    /// Elements kept as they are (after attribute cleaning); any other element is dropped and
    /// its content kept in its place, unless it is one of ``blockedElements``. The list is
    /// feedparser's, so sanitized output matches what feed readers built on it show.
    /// Attributes kept (after URL checks); any other attribute, event handlers included, is dropped.
    static let acceptableAttributes: Set<String> = [
        "abbr", "accept", "accept-charset", "accesskey", "action", "align", "alt", "autocomplete", "autofocus",
        "axis", "background", "balance", "bgcolor", "bgproperties", "border", "bordercolor", "bordercolordark",
        "bordercolorlight", "bottompadding", "cellpadding", "cellspacing", "ch", "challenge", "char", "charoff",
        "charset", "checked", "choff", "cite", "class", "clear", "color", "cols", "colspan", "compact",
        "contenteditable", "controls", "coords", "data", "datafld", "datapagesize", "datasrc", "datetime", "default",
        "delay", "dir", "disabled", "draggable", "dynsrc", "enctype", "end", "face", "for", "form", "frame",
        "galleryimg", "gutter", "headers", "height", "hidden", "hidefocus", "high", "href", "hreflang", "hspace",
        "icon", "id", "inputmode", "ismap", "keytype", "label", "lang", "leftspacing", "list", "longdesc", "loop",
        "loopcount", "loopend", "loopstart", "low", "lowsrc", "max", "maxlength", "media", "method", "min",
        "multiple", "name", "nohref", "noshade", "nowrap", "open", "optimum", "pattern", "ping", "point-size",
        "poster", "pqg", "preload", "prompt", "radiogroup", "readonly", "rel", "repeat-max", "repeat-min", "replace",
        "required", "rev", "rightspacing", "rows", "rowspan", "rules", "scope", "selected", "shape", "size", "span",
        "src", "start", "step", "style", "summary", "suppress", "tabindex", "target", "template", "title",
        "toppadding", "type", "unselectable", "urn", "usemap", "valign", "value", "variable", "volume", "vrml",
        "vspace", "width", "wrap", "xml:lang",
    ]
    /// CSS properties kept in a `style` attribute.
    static let acceptableCSSProperties: Set<String> = [
        "azimuth", "background-color", "border-bottom-color", "border-collapse", "border-color", "border-left-color",
        "border-right-color", "border-top-color", "clear", "color", "cursor", "direction", "display", "elevation",
        "float", "font", "font-family", "font-size", "font-style", "font-variant", "font-weight", "height",
        "letter-spacing", "line-height", "overflow", "pause", "pause-after", "pause-before", "pitch", "pitch-range",
        "richness", "speak", "speak-header", "speak-numeral", "speak-punctuation", "speech-rate", "stress",
        "text-align", "text-decoration", "text-indent", "unicode-bidi", "vertical-align", "voice-family", "volume",
        "white-space", "width",
    ]
    /// Keywords accepted in `background`, `border`, `margin` and `padding` shorthand values.
    static let acceptableCSSKeywords: Set<String> = [
        "!important", "aqua", "auto", "black", "block", "blue", "bold", "both", "bottom", "brown", "center",
        "collapse", "dashed", "dotted", "fuchsia", "gray", "green", "italic", "left", "lime", "maroon", "medium",
        "navy", "none", "normal", "nowrap", "olive", "pointer", "purple", "red", "right", "silver", "solid", "teal",
        "top", "transparent", "underline", "white", "yellow",
    ]
    /// The elements kept.
    static let acceptableElements: Set<String> = [
        "a", "abbr", "acronym", "address", "area", "article", "aside", "audio", "b", "big", "blockquote", "br",
        "button", "canvas", "caption", "center", "cite", "code", "col", "colgroup", "command", "datagrid", "datalist",
        "dd", "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "event-source", "fieldset",
        "figcaption", "figure", "font", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i",
        "img", "input", "ins", "kbd", "keygen", "label", "legend", "li", "m", "map", "menu", "meter", "multicol",
        "nav", "nextid", "noscript", "ol", "optgroup", "option", "output", "p", "pre", "progress", "q", "s", "samp",
        "section", "select", "small", "sound", "source", "spacer", "span", "strike", "strong", "sub", "sup", "table",
        "tbody", "td", "textarea", "tfoot", "th", "thead", "time", "tr", "tt", "u", "ul", "var", "video",
    ]

    /// Sanitized HTML for a feed's HTML construct, or `nil` when nothing is left.
    static func sanitize(_ html: String, base: String?) -> String? {
        let trimmed = html.trimmedFeedText()
        if trimmed.isEmpty { return nil }
        if !trimmed.utf8.contains(UInt8(ascii: "<")) && !trimmed.utf8.contains(UInt8(ascii: "&")) {
            return trimmed
        }
        let html =
            mayHoldC1Characters(trimmed)
            ? String(decoding: FeedPreprocessor.mappingC1Controls(Array(trimmed.utf8)), as: UTF8.self) : trimmed
        guard let tree = try? HTMLTree(fragment: escapingMarkupDeclarations(html)), let body = tree.body else {
            return nil
        }
        var cursor = body.firstChild
        while let node = cursor {
            if shouldRemove(node) {
                cursor = next(after: node, within: body, descend: false)
                node.remove()
                continue
            }
            if node.isElement, let vocabulary = ForeignVocabulary(rootName: node.name) {
                let following = next(after: node, within: body, descend: false)
                sanitizeForeign(node, vocabulary: vocabulary, base: base)
                cursor = following
                continue
            }
            if node.isElement && !acceptableElements.contains(node.name) {
                // libxml2 merges a moved text node into an adjacent one and frees it, so resume
                // from the nodes that stay put: the previous sibling, else the parent.
                let previous = node.previousSibling
                let parent = node.parent
                let following = next(after: node, within: body, descend: false)
                let hadChildren = node.firstChild != nil
                node.unwrap()
                if !hadChildren {
                    cursor = following
                } else if let previous {
                    cursor = previous.nextSibling ?? next(after: previous, within: body, descend: false)
                } else {
                    cursor = parent?.firstChild ?? following
                }
                continue
            }
            if node.isElement { cleanAttributes(of: node, base: base) }
            cursor = next(after: node, within: body, descend: true)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(trimmed.utf8.count + 64)
        serializeChildren(of: body, into: &bytes)
        let result = String(decoding: bytes, as: UTF8.self).trimmedFeedText()
        return result.isEmpty ? nil : result
    }

    /// The fragment with `<!` escaped unless it opens a comment: a stray `<!DOCTYPE` or
    /// `<![CDATA[` in feed HTML is text, and left alone it swallows the rest of the fragment.
    /// A complete document type declaration (a whole page pasted into a feed) is dropped.
    static func escapingMarkupDeclarations(_ html: String) -> String {
        // Byte-wise: `String.contains` / `firstRange(of:)` compare Characters and took half of
        // the time of parsing a feed whose items are HTML.
        var previous: UInt8 = 0
        guard
            html.utf8.contains(where: { byte in
                defer { previous = byte }
                return previous == UInt8(ascii: "<") && byte == UInt8(ascii: "!")
            })
        else { return html }
        let bytes = Array(html.utf8)
        let open = UInt8(ascii: "<")
        let close = UInt8(ascii: ">")
        func declaration(from start: Int) -> Int? {
            var index = start
            while index + 1 < bytes.count {
                if bytes[index] == open, bytes[index + 1] == UInt8(ascii: "!") { return index }
                index += 1
            }
            return nil
        }
        func isDoctype(at start: Int) -> Bool {
            guard start + 7 <= bytes.count else { return false }
            return bytes[start..<(start + 7)].lazy.map { $0 | 0x20 }.elementsEqual("doctype".utf8)
        }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        let lastClose = lastCommentClose(bytes)
        var index = 0
        while let start = declaration(from: index) {
            output.append(contentsOf: bytes[index..<start])
            let after = start + 2
            if isDoctype(at: after), let end = bytes[after...].firstIndex(of: close),
                !bytes[after..<end].contains(open)
            {
                index = end + 1
                continue
            }
            let isComment =
                after + 1 < bytes.count && bytes[after] == UInt8(ascii: "-") && bytes[after + 1] == UInt8(ascii: "-")
            if isComment, let end = unclosedCommentEnd(bytes, from: after + 2, lastClose: lastClose) {
                index = end
                continue
            }
            output.append(contentsOf: isComment ? Array("<!".utf8) : Array("&lt;!".utf8))
            index = after
        }
        output.append(contentsOf: bytes[index...])
        return String(decoding: output, as: UTF8.self)
    }

    /// Where a comment opened at `start` (just after its `<!--`) ends when it is never closed by
    /// `-->`: after the first `--` followed by `>` with no other `>` between (`<!-- -- x >`), as
    /// feedparser reads it, so the text after it is kept; `nil` when it is closed or has no such end
    /// (an unclosed comment hides the rest of the fragment, as it does in a browser).
    ///
    /// - Parameters:
    ///   - lastClose: Where the fragment's last `-->` starts (`nil` for none), found once per
    ///     fragment, so that many comments cost one pass each, not one to the end each.
    private static func unclosedCommentEnd(_ bytes: [UInt8], from start: Int, lastClose: Int?) -> Int? {
        if let lastClose, lastClose >= start { return nil }
        let dash = UInt8(ascii: "-")
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == dash, bytes[index + 1] == dash {
                return bytes[(index + 2)...].firstIndex(of: UInt8(ascii: ">")).map { $0 + 1 }
            }
            index += 1
        }
        return nil
    }

    /// Where the last `-->` of `bytes` starts.
    private static func lastCommentClose(_ bytes: [UInt8]) -> Int? {
        var index = bytes.count - 3
        while index >= 0 {
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"),
                bytes[index + 2] == UInt8(ascii: ">")
            {
                return index
            }
            index -= 1
        }
        return nil
    }

    /// Plain text for a construct that may contain markup or entities (titles, authors).
    static func plainText(_ html: String) -> String? {
        let text: String
        if html.utf8.contains(UInt8(ascii: "<")) || html.utf8.contains(UInt8(ascii: "&")) {
            guard let tree = try? HTMLTree(fragment: html), let body = tree.body else { return nil }
            var cursor = body.firstChild
            while let node = cursor {
                if node.kind == .comment || (node.isElement && blockedElements.contains(node.name)) {
                    cursor = next(after: node, within: body, descend: false)
                    node.remove()
                    continue
                }
                cursor = next(after: node, within: body, descend: true)
            }
            text = body.text
        } else {
            text = html
        }
        let collapsed = text.collapsingWhitespace()
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Plain text for a construct whose type is not declared (RSS and JSON Feed titles):
    /// treated as HTML only when it looks like HTML (an end tag, `<br>`, `<img>`, `<hr>`, or a
    /// character reference HTML defines), as feedparser does, so "Vector<T> in C++" keeps its
    /// `<T>` and "&doesnotexist;" stays as written.
    static func plainTextGuessingMarkup(_ text: String) -> String? {
        if looksLikeHTML(text) { return plainText(text) }
        let collapsed = text.collapsingWhitespace()
        return collapsed.isEmpty ? nil : collapsed
    }

    /// A title whose type is not declared (RSS): sanitized HTML when it looks like HTML, as
    /// feedparser treats it, else the text with its whitespace collapsed.
    static func titleGuessingMarkup(_ text: String) -> String? {
        if looksLikeHTML(text) { return sanitize(text, base: nil) }
        let collapsed = text.collapsingWhitespace()
        return collapsed.isEmpty ? nil : collapsed
    }

    /// The five references XML itself defines (not in ``HTMLEntities/table``).
    private static let xmlPredefinedEntities: Set<String> = ["amp", "lt", "gt", "quot", "apos"]

    static func looksLikeHTML(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        let count = bytes.count
        var index = 0
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (byte >= 0x30 && byte <= 0x39) }
        while index < count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "<"), index + 1 < count {
                if bytes[index + 1] == UInt8(ascii: "/"), index + 2 < count, isLetter(bytes[index + 2]) {
                    var end = index + 2
                    while end < count, isAlphanumeric(bytes[end]) { end += 1 }
                    if end < count, bytes[end] == UInt8(ascii: ">") { return true }
                }
                for name in ["br", "img", "hr"] where index + 1 + name.utf8.count <= count {
                    let word = bytes[(index + 1)..<(index + 1 + name.utf8.count)].map { $0 | 0x20 }
                    let after = index + 1 + name.utf8.count
                    if word.elementsEqual(name.utf8), after == count || !isAlphanumeric(bytes[after]) { return true }
                }
            } else if byte == UInt8(ascii: "&") {
                var end = index + 1
                let numeric = end < count && bytes[end] == UInt8(ascii: "#")
                if numeric { end += 1 }
                let start = end
                while end < count, end - start < 32, isAlphanumeric(bytes[end]) { end += 1 }
                if end > start, end < count, bytes[end] == UInt8(ascii: ";") {
                    // A name HTML does not define ("&doesnotexist;") is text, not a reference.
                    if numeric { return true }
                    let name = String(decoding: bytes[start..<end], as: UTF8.self)
                    if xmlPredefinedEntities.contains(name) || HTMLEntities.table[name] != nil { return true }
                }
            }
            index += 1
        }
        return false
    }

    private static func shouldRemove(_ node: Node) -> Bool {
        switch node.kind {
        case .comment, .other: return true
        case .element: return blockedElements.contains(node.name)
        case .text, .cdata: return false
        }
    }

    private static func cleanAttributes(of node: Node, base: String?) {
        let attributes = node.attributes
        if attributes.isEmpty { return }
        for (name, value) in attributes {
            let lower = name.lowercased()
            if !acceptableAttributes.contains(lower) {
                node.removeAttribute(name)
                continue
            }
            if lower == "style" {
                let clean = sanitizeStyle(value)
                if clean.isEmpty {
                    node.removeAttribute(name)
                } else if clean != value {
                    node.setAttribute(name, to: clean)
                }
                continue
            }
            guard urlAttributes.contains(lower) else { continue }
            if isDangerousURL(value) {
                // Emptied rather than dropped, as feedparser writes it (`<a href="">`).
                node.setAttribute(name, to: "")
            } else if lower != "srcset", lower != "ping", !value.isEmpty {
                let resolved = URLResolver.resolve(value, against: base)
                if resolved != value { node.setAttribute(name, to: resolved) }
            }
        }
    }

    // MARK: - SVG and MathML

    /// Inline SVG or MathML, kept (as feed readers show equations and drawings) under their own
    /// allow-lists.
    enum ForeignVocabulary {
        case svg
        case mathML

        /// The vocabulary whose root element this is (`svg`, `math`, or with a prefix such as
        /// `svg:svg` when it came from namespaced XHTML).
        init?(rootName: String) {
            switch Self.localName(rootName) {
            case "svg": self = .svg
            case "math": self = .mathML
            default: return nil
            }
        }

        var namespaceURI: String {
            switch self {
            case .svg: return "http://www.w3.org/2000/svg"
            case .mathML: return "http://www.w3.org/1998/Math/MathML"
            }
        }

        /// The element's name as the vocabulary spells it (`lineargradient` → `linearGradient`),
        /// or `nil` when it is not allowed.
        func elementName(_ lowercased: String) -> String? {
            switch self {
            case .svg: return HTMLSanitizer.svgElements[lowercased]
            case .mathML: return HTMLSanitizer.mathMLElements.contains(lowercased) ? lowercased : nil
            }
        }

        /// The attribute's name as the vocabulary spells it (`viewbox` → `viewBox`), or `nil`
        /// when it is not allowed.
        func attributeName(_ lowercased: String) -> String? {
            if HTMLSanitizer.xlinkAttributes.contains(lowercased) { return lowercased }
            switch self {
            case .svg: return HTMLSanitizer.svgAttributes[lowercased]
            case .mathML: return HTMLSanitizer.mathMLAttributes.contains(lowercased) ? lowercased : nil
            }
        }

        static func localName(_ name: String) -> String {
            guard let colon = name.lastIndex(of: ":") else { return name }
            return String(name[name.index(after: colon)...])
        }
    }

    /// SVG 1.1 elements kept, by lower-cased name. Animation elements (`animate`, `set`, …)
    /// can rewrite an `href` into a `javascript:` URL, and `use` and `foreignObject` pull in
    /// other content, so they are left out.
    static let svgElements: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "a", "circle", "clipPath", "defs", "desc", "ellipse", "font-face", "font-face-name", "font-face-src", "g",
            "glyph", "hkern", "line", "linearGradient", "marker", "mask", "metadata", "missing-glyph", "path",
            "pattern", "polygon", "polyline", "radialGradient", "rect", "stop", "svg", "switch", "symbol", "text",
            "textPath", "title", "tspan",
        ].map { ($0.lowercased(), $0) })

    /// SVG presentation and geometry attributes kept, by lower-cased name (no event handlers,
    /// no animation targets).
    static let svgAttributes: [String: String] = Dictionary(
        uniqueKeysWithValues: [
            "accent-height", "alphabetic", "arabic-form", "ascent", "baseProfile", "bbox", "cap-height", "class",
            "clip-path", "clip-rule", "clipPathUnits", "color", "color-rendering", "cx", "cy", "d", "descent",
            "display", "dx", "dy", "fill", "fill-opacity", "fill-rule", "font-family", "font-size", "font-stretch",
            "font-style", "font-variant", "font-weight", "fx", "fy", "g1", "g2", "glyph-name", "gradientTransform",
            "gradientUnits", "hanging", "height", "horiz-adv-x", "horiz-origin-x", "id", "ideographic", "k", "lang",
            "marker-end", "marker-mid", "marker-start", "markerHeight", "markerUnits", "markerWidth", "mask",
            "mathematical", "name", "offset", "opacity", "orient", "overline-position", "overline-thickness",
            "panose-1", "pathLength", "patternUnits", "points", "preserveAspectRatio", "r", "refX", "refY",
            "requiredExtensions", "requiredFeatures", "rotate", "rx", "ry", "slope", "stemh", "stemv", "stop-color",
            "stop-opacity", "strikethrough-position", "strikethrough-thickness", "stroke", "stroke-dasharray",
            "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit", "stroke-opacity",
            "stroke-width", "systemLanguage", "target", "text-anchor", "transform", "type", "u1", "u2",
            "underline-position", "underline-thickness", "unicode", "unicode-range", "units-per-em", "version",
            "viewBox", "visibility", "width", "widths", "x", "x-height", "x1", "x2", "xml:lang", "xml:space", "y",
            "y1", "y2", "zoomAndPan",
        ].map { ($0.lowercased(), $0) })

    /// MathML elements kept (presentation markup and its annotations).
    static let mathMLElements: Set<String> = [
        "annotation", "annotation-xml", "maction", "maligngroup", "malignmark", "math", "menclose", "merror",
        "mfenced", "mfrac", "mglyph", "mi", "mlabeledtr", "mlongdiv", "mmultiscripts", "mn", "mo", "mover",
        "mpadded", "mphantom", "mprescripts", "mroot", "mrow", "ms", "mscarries", "mscarry", "msgroup", "msline",
        "mspace", "msqrt", "msrow", "mstack", "mstyle", "msub", "msubsup", "msup", "mtable", "mtd", "mtext", "mtr",
        "munder", "munderover", "none", "semantics",
    ]

    /// MathML attributes kept (all lower-case in MathML).
    static let mathMLAttributes: Set<String> = [
        "accent", "accentunder", "actiontype", "align", "alignmentscope", "altimg", "alttext", "bevelled",
        "charalign", "close", "columnalign", "columnlines", "columnspacing", "columnspan", "columnwidth", "crossout",
        "decimalpoint", "denomalign", "depth", "dir", "display", "displaystyle", "edge", "encoding", "equalcolumns",
        "equalrows", "fence", "fontstyle", "fontweight", "form", "frame", "framespacing", "groupalign", "height",
        "href", "id", "indentalign", "indentalignfirst", "indentalignlast", "indentshift", "indentshiftfirst",
        "indentshiftlast", "indenttarget", "infixlinebreakstyle", "largeop", "length", "linebreak",
        "linebreakmultchar", "linebreakstyle", "lineleading", "linethickness", "location", "longdivstyle", "lquote",
        "lspace", "mathbackground", "mathcolor", "mathsize", "mathvariant", "maxsize", "minlabelspacing", "minsize",
        "movablelimits", "notation", "numalign", "open", "overflow", "position", "rowalign", "rowlines",
        "rowspacing", "rowspan", "rquote", "rspace", "scriptlevel", "scriptminsize", "scriptsizemultiplier",
        "selection", "separator", "separators", "shift", "side", "stackalign", "stretchy", "subscriptshift",
        "superscriptshift", "symmetric", "voffset", "width",
    ]

    /// XLink attributes kept in both vocabularies (`xlink:href` is a URL and checked as one).
    static let xlinkAttributes: Set<String> = [
        "xlink:href", "xlink:show", "xlink:type", "xlink:title", "xlink:role", "xlink:arcrole", "xlink:actuate",
    ]

    private static let xlinkNamespace = "http://www.w3.org/1999/xlink"

    /// Cleans an `svg` or `math` element and its subtree: names restored to the vocabulary's
    /// spelling without prefixes, `xmlns` declared on the root (and `xmlns:xlink` where XLink
    /// is used), unknown elements unwrapped, blocked ones (`script`, `style`, …) removed with
    /// their content, HTML elements inside (an `<abbr>` in a `<desc>`) cleaned as HTML, and
    /// attributes outside the vocabulary's list dropped.
    private static func sanitizeForeign(_ root: Node, vocabulary: ForeignVocabulary, base: String?) {
        var cursor: Node? = root
        while let node = cursor {
            guard node.isElement else {
                if shouldRemove(node) {
                    cursor = next(after: node, within: root, descend: false)
                    node.remove()
                } else {
                    cursor = next(after: node, within: root, descend: true)
                }
                continue
            }
            let local = ForeignVocabulary.localName(node.name).lowercased()
            if let name = vocabulary.elementName(local) {
                if name != node.name { node.rename(to: name) }
                cleanForeignAttributes(of: node, vocabulary: vocabulary, base: base, isRoot: node.isSame(as: root))
                cursor = next(after: node, within: root, descend: true)
            } else if acceptableElements.contains(local) {
                if local != node.name { node.rename(to: local) }
                cleanAttributes(of: node, base: base)
                cursor = next(after: node, within: root, descend: true)
            } else if blockedElements.contains(local) || ForeignVocabulary(rootName: local) != nil {
                cursor = next(after: node, within: root, descend: false)
                node.remove()
            } else {
                let previous = node.previousSibling
                let parent = node.parent
                let following = next(after: node, within: root, descend: false)
                let hadChildren = node.firstChild != nil
                node.unwrap()
                if !hadChildren {
                    cursor = following
                } else if let previous {
                    cursor = previous.nextSibling ?? next(after: previous, within: root, descend: false)
                } else {
                    cursor = parent?.firstChild ?? following
                }
            }
        }
    }

    private static func cleanForeignAttributes(
        of node: Node, vocabulary: ForeignVocabulary, base: String?, isRoot: Bool
    ) {
        var usesXLink = false
        for (name, value) in node.attributes {
            let lower = name.lowercased()
            guard let kept = vocabulary.attributeName(lower) else {
                node.removeAttribute(name)
                continue
            }
            if lower.hasPrefix("xlink:") { usesXLink = true }
            if lower == "xlink:href" || lower == "href" {
                if isDangerousURL(value) {
                    node.setAttribute(name, to: "")
                    continue
                }
                let resolved = value.isEmpty || value.hasPrefix("#") ? value : URLResolver.resolve(value, against: base)
                if kept != name || resolved != value {
                    node.removeAttribute(name)
                    node.setAttribute(kept, to: resolved)
                }
            } else if kept != name {
                node.removeAttribute(name)
                node.setAttribute(kept, to: value)
            }
        }
        if isRoot { node.setAttribute("xmlns", to: vocabulary.namespaceURI) }
        if usesXLink { node.setAttribute("xmlns:xlink", to: xlinkNamespace) }
    }

    /// Void elements, written `<br />` as XHTML-compatible HTML.
    static let voidElements: Set<String> = [
        "area", "base", "basefont", "br", "col", "command", "embed", "frame", "hr", "img", "input", "isindex",
        "keygen", "link", "meta", "param", "source", "track", "wbr",
    ]

    /// Whether the text has a C1 control (UTF-8 `C2 80`–`C2 9F`) or a numeric reference that
    /// could name one.
    private static func mayHoldC1Characters(_ text: String) -> Bool {
        var previous: UInt8 = 0
        for byte in text.utf8 {
            if (previous == 0xC2 && byte >= 0x80 && byte <= 0x9F) || (previous == 0x26 && byte == 0x23) { return true }
            previous = byte
        }
        return false
    }

    /// Writes the children of a sanitized node the way feedparser does: attributes sorted and
    /// always quoted (`checked=""`), void elements self-closed (`<br />`), no added whitespace.
    static func serializeChildren(of node: Node, into output: inout [UInt8]) {
        for child in node.children {
            switch child.kind {
            case .text, .cdata:
                appendEscaped(child.text, attribute: false, into: &output)
            case .element:
                let name = child.name
                output.append(UInt8(ascii: "<"))
                output.append(contentsOf: name.utf8)
                let attributes = child.attributes
                let ordered = attributes.count > 1 ? attributes.sorted(by: { $0.name < $1.name }) : attributes
                for (attribute, value) in ordered {
                    output.append(UInt8(ascii: " "))
                    output.append(contentsOf: attribute.utf8)
                    output.append(contentsOf: "=\"".utf8)
                    appendEscaped(value, attribute: true, into: &output)
                    output.append(UInt8(ascii: "\""))
                }
                if voidElements.contains(name) {
                    output.append(contentsOf: " />".utf8)
                } else {
                    output.append(UInt8(ascii: ">"))
                    serializeChildren(of: child, into: &output)
                    output.append(contentsOf: "</".utf8)
                    output.append(contentsOf: name.utf8)
                    output.append(UInt8(ascii: ">"))
                }
            case .comment, .other:
                continue
            }
        }
    }

    private static func appendEscaped(_ text: String, attribute: Bool, into output: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\"") where attribute: output.append(contentsOf: "&quot;".utf8)
            default: output.append(byte)
            }
        }
    }

    /// A `style` attribute's value reduced to safe declarations, feedparser's way: no `url(…)`,
    /// nothing but plain declarations, only listed properties (shorthands of `background`,
    /// `border`, `margin` and `padding` only with listed keywords, colours and lengths). Empty
    /// when nothing safe is left.
    static func sanitizeStyle(_ style: String) -> String {
        let text = Array(removingCSSURLs(style).unicodeScalars)
        guard passesStyleGauntlet(text) else { return "" }
        var clean: [String] = []
        for segment in text.split(separator: ";", omittingEmptySubsequences: false) {
            let scalars = Array(segment)
            guard scalars.contains(where: { !$0.properties.isWhitespace }) else { continue }
            // Exactly one `property: value` per declaration.
            guard let colon = scalars.firstIndex(of: ":"), !scalars[(colon + 1)...].contains(":") else { return "" }
            let name = String(String.UnicodeScalarView(scalars[..<colon])).trimmedFeedText()
            guard !name.isEmpty, name.unicodeScalars.allSatisfy({ $0 == "-" || isWordScalar($0) }) else { return "" }
            var valueStart = colon + 1
            while valueStart < scalars.count, scalars[valueStart].properties.isWhitespace { valueStart += 1 }
            let value = String(String.UnicodeScalarView(scalars[valueStart...]))
            if value.isEmpty { continue }
            let lower = name.lowercased()
            if acceptableCSSProperties.contains(lower) {
                clean.append("\(name): \(value);")
            } else if ["background", "border", "margin", "padding"].contains(lower.split(separator: "-").first ?? "") {
                let safe = value.split(whereSeparator: \.isWhitespace).allSatisfy { keyword in
                    acceptableCSSKeywords.contains(String(keyword)) || isValidCSSValue(keyword)
                }
                if safe { clean.append("\(name): \(value);") }
            }
        }
        return clean.joined(separator: " ")
    }

    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "_" || scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }

    /// The style with every `url(…)` replaced by a space.
    private static func removingCSSURLs(_ style: String) -> String {
        guard style.lowercased().contains("url") else { return style }
        let scalars = Array(style.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        while index < scalars.count {
            if index + 3 <= scalars.count,
                String(String.UnicodeScalarView(scalars[index..<(index + 3)])).lowercased() == "url"
            {
                var cursor = index + 3
                while cursor < scalars.count, scalars[cursor].properties.isWhitespace { cursor += 1 }
                if cursor < scalars.count, scalars[cursor] == "(",
                    let close = scalars[cursor...].firstIndex(of: ")")
                {
                    output.append(" ")
                    index = close + 1
                    while index < scalars.count, scalars[index].properties.isWhitespace { index += 1 }
                    continue
                }
            }
            output.append(scalars[index])
            index += 1
        }
        return String(output)
    }

    /// Only plain CSS characters, hyphenated words, simple quoted names and numeric lists.
    private static func passesStyleGauntlet(_ scalars: [Unicode.Scalar]) -> Bool {
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar.isASCII,
                scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                    || ":,;#%.!".unicodeScalars.contains(scalar) || scalar.properties.isWhitespace
            {
                index += 1
            } else if scalar.properties.isWhitespace {
                index += 1
            } else if scalar == "-", index > 0, index + 1 < scalars.count, isWordScalar(scalars[index - 1]),
                isWordScalar(scalars[index + 1])
            {
                index += 1
            } else if scalar == "'" || scalar == "\"" {
                guard let close = scalars[(index + 1)...].firstIndex(of: scalar), close > index + 1,
                    scalars[(index + 1)..<close].allSatisfy({ $0.properties.isWhitespace || isWordScalar($0) })
                else { return false }
                index = close + 1
            } else if scalar == "(" {
                guard let close = scalars[(index + 1)...].firstIndex(of: ")"), close > index + 1,
                    scalars[(index + 1)..<close].allSatisfy({
                        $0.properties.isWhitespace || $0 == "," || ("0"..."9").contains($0)
                    })
                else { return false }
                index = close + 1
            } else {
                return false
            }
        }
        return true
    }

    /// A colour (`#fff`, `rgb(1,2,3)`) or a small length (`0`, `1.5em`, `10px`, `50%`).
    private static func isValidCSSValue(_ value: Substring) -> Bool {
        let bytes = Array(value.utf8)
        func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }
        if bytes.first == UInt8(ascii: "#") {
            return bytes.count > 1 && bytes.dropFirst().allSatisfy { isDigit($0) || ($0 >= 0x61 && $0 <= 0x66) }
        }
        if value.hasPrefix("rgb(") {
            let rest = bytes.dropFirst(4)
            return rest.first.map(isDigit) == true
                && rest.allSatisfy {
                    isDigit($0) || $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ")")
                }
        }
        var index = 0
        var digits = 0
        while index < bytes.count, digits < 2, isDigit(bytes[index]) {
            index += 1
            digits += 1
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") { index += 1 }
        digits = 0
        while index < bytes.count, digits < 2, isDigit(bytes[index]) {
            index += 1
            digits += 1
        }
        let unit = String(decoding: bytes[index...], as: UTF8.self)
        return ["", "cm", "em", "ex", "in", "mm", "pc", "pt", "px", "%", ",", ")"].contains(unit)
    }

    /// Whether a URL uses a scheme that runs code or embeds content: `javascript:`,
    /// `vbscript:`, `data:` (with whitespace and control characters ignored, as browsers do).
    static func isDangerousURL(_ value: String) -> Bool {
        var compact = String.UnicodeScalarView()
        for scalar in value.unicodeScalars where scalar.value > 0x20 {
            compact.append(scalar)
            if compact.count > 16 { break }
        }
        let lower = String(compact).lowercased()
        return lower.hasPrefix("javascript:") || lower.hasPrefix("vbscript:") || lower.hasPrefix("data:")
            || lower.hasPrefix("livescript:") || lower.hasPrefix("mocha:")
    }

    /// The next node in document order, skipping `node`'s subtree unless `descend`.
    private static func next(after node: Node, within root: Node, descend: Bool) -> Node? {
        if descend, let child = node.firstChild { return child }
        var current = node
        while true {
            if current.isSame(as: root) { return nil }
            if let sibling = current.nextSibling { return sibling }
            guard let parent = current.parent else { return nil }
            if parent.isSame(as: root) { return nil }
            current = parent
        }
    }
}

/// Text helpers for consumers of ``FeedParser`` output.
public enum FeedText {
    /// The plain text of a parsed title, summary or content: markup removed, character
    /// references decoded, whitespace collapsed.
    ///
    /// Titles of type HTML or XHTML come out of ``FeedParser`` as sanitized HTML (as feed
    /// readers display them); a consumer that wants a one-line text title calls this. A string
    /// without markup or references is only whitespace-collapsed.
    ///
    /// - Parameters:
    ///   - html: A string from a ``FeedParser`` result.
    /// - Returns: The text, or `nil` when nothing but markup or whitespace is left.
    public static func plainText(_ html: String) -> String? {
        HTMLSanitizer.plainText(html)
    }
}
