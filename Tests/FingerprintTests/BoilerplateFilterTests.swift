import Fingerprint
import Testing

struct BoilerplateFilterTests {
    @Test func dropsLinesRepeatedAcrossDocumentsOfOneSite() {
        let filter = BoilerplateFilter(minimumOccurrences: 3)
        let template = "سجل الآن في القائمة البريدية ليصلك ملخص الأخبار"
        for story in 0..<3 {
            let kept = filter.filter(["خبر رقم \(story) عن موضوع مختلف", template], site: "example.com")
            #expect(kept.count == 2)
        }
        let variant = "سجلْ الآن فى القائمة البريدية ليصلك ملخص الاخبار"
        let kept = filter.filter(["خبر رابع جديد تماما", variant], site: "example.com")
        #expect(kept == ["خبر رابع جديد تماما"])
        // Another site has not shown that line yet.
        #expect(filter.filter(["خبر", template], site: "other.example").count == 2)
    }

    @Test func corpusLevelFilterNeedsDistinctClusters() {
        let filter = BoilerplateFilter(minimumGroups: 3)
        let shared = "فقرة من خبر تتكرر في نسخ الخبر نفسه"
        let template = "تابعونا على قناتنا لمتابعة آخر الأخبار العاجلة"
        for copy in 0..<5 {
            filter.learn([shared, template, "نسخة \(copy)"], group: "story-1")
        }
        #expect(filter.filter([shared, template]) == [shared, template])
        filter.learn([template], group: "story-2")
        filter.learn([template], group: "story-3")
        #expect(filter.filter([shared, template]) == [shared])
    }

    @Test func memoryStaysBounded() {
        let filter = BoilerplateFilter(capacity: 1024)
        for index in 0..<5000 {
            _ = filter.filter(["سطر فريد رقم \(index)"], site: "example.com")
        }
        #expect(filter.rememberedLineCount <= 1024)
    }
}
