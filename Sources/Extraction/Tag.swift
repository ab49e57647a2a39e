/// The HTML element names the extractor distinguishes; every other name is `.other`.
enum Tag: UInt8, CaseIterable {
    case document, text, other
    case a, abbr, address, area, article, aside, audio, b, base, blockquote, body, br, button, canvas, caption
    case center, cite, code, col, dd, del, details, dialog, div, dl, dt, em, embed, fieldset, figcaption, figure
    case font, footer, form, frame, frameset, h1, h2, h3, h4, h5, h6, head, header, hgroup, hr, html, i, iframe
    case img, input, ins, kbd, label, legend, li, link, main, mark, math, menu, meta, nav, noembed, noframes
    case noscript, object, ol, option, p, param, picture, pre, q, s, samp, script, section, select, small
    case source, span, strike, strong, style, sub, summary, sup, svg, table, tbody, td, template, textarea
    case tfoot, th, thead, time, title, tr, track, u, ul, video, wbr, xmp, keygen, dir, listing, plaintext

    /// Properties, one bit each, looked up by raw value.
    struct Traits: OptionSet {
        let rawValue: UInt16
        /// Has no content and no end tag.
        static let void = Traits(rawValue: 1 << 0)
        /// Its content is raw text up to the matching end tag.
        static let rawText = Traits(rawValue: 1 << 1)
        /// Starts a new line of text (a paragraph boundary).
        static let block = Traits(rawValue: 1 << 2)
        /// Its start tag closes an open `<p>`.
        static let closesParagraph = Traits(rawValue: 1 << 3)
        /// Never holds article text: skipped with everything inside.
        static let neverContent = Traits(rawValue: 1 << 4)
        /// Its content is decoded text (title, textarea) rather than ignored.
        static let escapableRawText = Traits(rawValue: 1 << 5)
        /// A heading.
        static let heading = Traits(rawValue: 1 << 6)
        /// A scope barrier for implied end tags.
        static let scopeBarrier = Traits(rawValue: 1 << 7)
    }

    static let traitTable: [Traits] = {
        var table = [Traits](repeating: [], count: Tag.allCases.count)
        func set(_ tags: [Tag], _ trait: Traits) { for tag in tags { table[Int(tag.rawValue)].insert(trait) } }
        set(
            [
                .area, .base, .br, .col, .embed, .hr, .img, .input, .link, .meta, .param, .source, .track, .wbr,
                .keygen,
                .frame,
            ], .void)
        set([.script, .style, .textarea, .title, .xmp, .iframe, .noembed, .noframes, .noscript, .plaintext], .rawText)
        set([.title, .textarea], .escapableRawText)
        set(
            [
                .address, .article, .aside, .blockquote, .body, .br, .caption, .center, .dd, .details, .dialog, .dir,
                .div, .dl, .dt, .fieldset, .figcaption, .figure, .footer, .form, .h1, .h2, .h3, .h4, .h5, .h6, .header,
                .hgroup, .hr, .html, .legend, .li, .listing, .main, .menu, .nav, .ol, .option, .p, .pre, .section,
                .select, .summary, .table, .tbody, .td, .tfoot, .th, .thead, .tr, .ul, .document, .tbody,
            ], .block)
        set(
            [
                .address, .article, .aside, .blockquote, .center, .details, .dialog, .dir, .div, .dl, .fieldset,
                .figcaption, .figure, .footer, .header, .hgroup, .main, .menu, .nav, .ol, .p, .section, .summary, .ul,
                .h1, .h2, .h3, .h4, .h5, .h6, .pre, .listing, .form, .table, .hr, .li, .dd, .dt,
            ], .closesParagraph)
        set(Heuristics.neverContentTags, .neverContent)
        set([.h1, .h2, .h3, .h4, .h5, .h6], .heading)
        set([.table, .td, .th, .caption, .template, .html, .body, .object, .document], .scopeBarrier)
        return table
    }()

    @inline(__always) var traits: Traits { Tag.traitTable[Int(rawValue)] }
    @inline(__always) func has(_ trait: Traits) -> Bool { traits.contains(trait) }

    /// Open-addressing table from the FNV-1a hash of a lower-case name to its tag.
    private static let slots = 1024
    private static let lookupTable: (hashes: [UInt64], tags: [Tag]) = {
        var hashes = [UInt64](repeating: 0, count: slots)
        var tags = [Tag](repeating: .other, count: slots)
        for tag in Tag.allCases where tag != .document && tag != .text && tag != .other {
            let h = fnv(Array(String(describing: tag).utf8))
            var slot = Int(truncatingIfNeeded: h) & (slots - 1)
            while hashes[slot] != 0 { slot = (slot + 1) & (slots - 1) }
            hashes[slot] = h
            tags[slot] = tag
        }
        return (hashes, tags)
    }()

    static func fnv(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b | 0x20)) &* 0x100_0000_01b3 }
        return h
    }

    /// The tag for an already hashed (lower-cased FNV-1a) name.
    @inline(__always)
    static func lookup(hash h: UInt64) -> Tag {
        var slot = Int(truncatingIfNeeded: h) & (slots - 1)
        let table = lookupTable
        while true {
            let stored = table.hashes[slot]
            if stored == h { return table.tags[slot] }
            if stored == 0 { return .other }
            slot = (slot + 1) & (slots - 1)
        }
    }
}

/// The attributes the extractor reads; every other attribute is skipped while tokenizing.
enum AttributeName: CaseIterable {
    case `class`, id, itemprop, itemtype, role, rel, href, property, name, content, charset, httpEquiv
    case datetime, type, lang, hidden, style, ariaHidden, itemscope

    /// Open-addressing table from the FNV-1a hash of a lower-case name to its attribute (a
    /// dictionary would run `Hasher` on every attribute of the page).
    private static let slots = 64
    private static let table: (hashes: [UInt64], names: [AttributeName?]) = {
        var hashes = [UInt64](repeating: 0, count: slots)
        var names = [AttributeName?](repeating: nil, count: slots)
        for name in AttributeName.allCases {
            let spelled: String
            switch name {
            case .httpEquiv: spelled = "http-equiv"
            case .ariaHidden: spelled = "aria-hidden"
            default: spelled = String(describing: name)
            }
            let h = Tag.fnv(Array(spelled.utf8))
            var slot = Int(truncatingIfNeeded: h) & (slots - 1)
            while hashes[slot] != 0 { slot = (slot + 1) & (slots - 1) }
            hashes[slot] = h
            names[slot] = name
        }
        return (hashes, names)
    }()

    /// The attribute for an already hashed (lower-cased FNV-1a) name.
    @inline(__always)
    static func lookup(hash h: UInt64) -> AttributeName? {
        var slot = Int(truncatingIfNeeded: h) & (slots - 1)
        let table = table
        while true {
            let stored = table.hashes[slot]
            if stored == h { return table.names[slot] }
            if stored == 0 { return nil }
            slot = (slot + 1) & (slots - 1)
        }
    }

    /// Whether the extractor reads `name` on a `tag` element: class, id, itemprop, role and the
    /// hiding attributes on every element; the rest only where they mean something (`<meta>`,
    /// `<link>`, the `<html>` language, a `<time>`'s date, a `<script>`'s type). The libxml2
    /// input leaves out every other attribute, so a new reader of an attribute must be added here.
    @inline(__always)
    static func isRead(_ name: AttributeName, on tag: Tag) -> Bool {
        switch name {
        case .class, .id, .itemprop, .role, .hidden, .ariaHidden, .style: true
        case .property, .name, .content, .charset, .httpEquiv: tag == .meta
        case .rel, .href: tag == .link
        case .lang: tag == .html
        case .datetime: tag == .time
        case .type: tag == .script
        case .itemtype, .itemscope: false
        }
    }
}
