/// Invented Chinese names. Common surnames and given-name characters; combinations are random, so any
/// match with a real person is chance.
enum Names {
    static let surnames = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤").map(String.init)
    static let givenCharacters = Array("伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华建国志文辉玉萍红斌宇浩凯俊鹏飞云海波宁欣怡晨阳子涵梓轩雨泽思博雪梅琳丹慧颖婷佳琪").map(String.init)

    static func person(_ rng: inout SplitMix64) -> String {
        let surname = rng.pick(surnames)
        if rng.chance(0.35) { return surname + rng.pick(givenCharacters) }
        return surname + rng.pick(givenCharacters) + rng.pick(givenCharacters)
    }
}
