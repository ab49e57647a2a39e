internal import CLibXML2

/// XPath 1.0 queries over a parsed tree (libxml2's evaluator).
enum XPath {
    /// The nodes an XPath expression selects in `document`, in document order.
    ///
    /// - Parameters:
    ///   - expression: An XPath 1.0 expression that yields a node set.
    ///   - namespaces: Prefix → URI bindings usable in the expression.
    ///   - document: The libxml2 document.
    ///   - context: The context node; the document when `nil`.
    static func select(
        _ expression: String,
        namespaces: [String: String],
        in document: xmlDocPtr,
        context: Node?
    ) throws(MarkupError) -> [Node] {
        guard let xpathContext = xmlXPathNewContext(document) else { throw .parseFailed("out of memory") }
        defer { xmlXPathFreeContext(xpathContext) }
        for (prefix, uri) in namespaces {
            _ = xmlXPathRegisterNs(xpathContext, prefix, uri)
        }
        if let context {
            xpathContext.pointee.node = context.rawPointer.assumingMemoryBound(to: xmlNode.self)
        }
        guard let result = xmlXPathEvalExpression(expression, xpathContext) else {
            throw .parseFailed("invalid XPath expression: \(expression)")
        }
        defer { xmlXPathFreeObject(result) }
        guard result.pointee.type == XPATH_NODESET, let set = result.pointee.nodesetval else { return [] }
        var nodes: [Node] = []
        let count = Int(set.pointee.nodeNr)
        nodes.reserveCapacity(count)
        for index in 0..<count {
            if let node = set.pointee.nodeTab[index] {
                nodes.append(Node(UnsafeMutableRawPointer(node)))
            }
        }
        return nodes
    }
}

extension XMLTree {
    /// The nodes an XPath 1.0 expression selects, in document order.
    ///
    /// - Parameters:
    ///   - expression: An expression yielding a node set, e.g. `//atom:entry/atom:title`.
    ///   - namespaces: Prefix → namespace URI bindings used in the expression.
    ///   - context: The node relative paths start from; the document when `nil`.
    /// - Returns: The selected nodes (empty when the expression yields no node set).
    /// - Throws: ``MarkupError/parseFailed(_:)`` when the expression is invalid.
    public func nodes(
        matching expression: String,
        namespaces: [String: String] = [:],
        from context: Node? = nil
    ) throws(MarkupError) -> [Node] {
        try XPath.select(expression, namespaces: namespaces, in: documentPointer, context: context)
    }
}

extension HTMLTree {
    /// The nodes an XPath 1.0 expression selects, in document order.
    ///
    /// - Parameters:
    ///   - expression: An expression yielding a node set, e.g. `//meta[@property='og:title']`.
    ///   - context: The node relative paths start from; the document when `nil`.
    /// - Returns: The selected nodes (empty when the expression yields no node set).
    /// - Throws: ``MarkupError/parseFailed(_:)`` when the expression is invalid.
    public func nodes(matching expression: String, from context: Node? = nil) throws(MarkupError) -> [Node] {
        try XPath.select(expression, namespaces: [:], in: documentPointer, context: context)
    }
}
